"""Activities, documents and reminder letters of the demo county (extended by the activities issue)."""


def build(county):
    return None
