"""The members of the demo county (extended by the members issue)."""


def build(county):
    return None
