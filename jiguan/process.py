"""A server process made ready for requests (gunicorn's workers, through jiguan.wsgi).

Python's garbage collector now and then walks every object the process holds (a full collection).
Most of them live as long as the process: Django, every app's views, forms and tables, and
pypinyin's dictionaries (about 190,000 objects alone, loaded by the first page that sorts or
searches by pinyin). Walking them took about 0.1 s, landing on one request in three or four of the
larger pages (the tree, the 三会一课 page: 0.05 s pages answered in 0.15 s). So each worker loads
them before its first request and moves them out of the collector's sight with ``gc.freeze()``:
they are never freed in any case, and the collector then walks only what requests create.
"""

import gc


def prepare() -> None:
    """Load what every process loads sooner or later, then freeze it (call once, after setup)."""
    from django.urls import get_resolver

    from jiguan import pinyin

    get_resolver().url_patterns  # noqa: B018 - imports every app's views, forms and tables
    pinyin.search_keys("党组织")  # pypinyin's dictionaries
    gc.collect()
    gc.freeze()
