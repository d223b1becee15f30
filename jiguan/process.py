"""A server process made ready for requests (gunicorn's workers, through jiguan.wsgi).

Python's garbage collector now and then walks every object the process holds (a full collection).
Most of them live as long as the process: Django, every app's views, forms and tables, and
pypinyin's dictionaries (about 190,000 objects alone, loaded by the first page that sorts or
searches by pinyin). Walking them took about 0.1 s, landing on one request in three or four of the
larger pages (the tree, the 三会一课 page: 0.05 s pages answered in 0.15 s). So each worker loads
them before its first request and moves them out of the collector's sight with ``gc.freeze()``:
they are never freed in any case, and the collector then walks only what requests create.
"""

import contextlib
import gc


def prepare() -> None:
    """Load what every process loads sooner or later, then freeze it (call once, after setup)."""
    from django.urls import get_resolver

    from jiguan import pinyin

    get_resolver().url_patterns  # noqa: B018 - imports every app's views, forms and tables
    pinyin.search_keys("党组织")  # pypinyin's dictionaries
    gc.collect()
    gc.freeze()


@contextlib.contextmanager
def collector_paused():
    """The collector held off while a large value is made or read back (a report's numbers, its
    三会一课 table of 4,412 branches at ten times the benchmark's county, unpickled from the cache).
    Everything made stays reachable until the value is done, so the collections its allocations
    set off walk it again and again and free nothing: unpickling that table took 0.29 s with them
    and 0.08 s without. Reference counting still frees what is dropped; the collector resumes after
    (a nested pause leaves that to the outermost)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
