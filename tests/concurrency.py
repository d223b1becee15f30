"""Requests at the same moment, as threads with their own database connections (PostgreSQL only:
SQLite lets one writer in at a time, so its transactions cannot interleave).

A race is made certain, not left to timing: `meet_after(module, name, n)` wraps the function a
service calls between its check and its write, so that every thread has checked before any writes.
A service that locks a row before checking lets only one thread reach that point at a time; the
meeting then gives up after a short wait and each thread goes on alone, as it would in production.
"""

import threading

import pytest
from django.db import connection, connections


def skip_on_sqlite():
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")


def meet_after(monkeypatch, owner, name, parties, *, timeout=2):
    """Make `owner.name(...)` wait, on its first call in each thread, until `parties` threads have
    called it (or `timeout` seconds passed). Returns the list of calls made."""
    original = getattr(owner, name)
    barrier = threading.Barrier(parties, timeout=timeout)
    waited, calls = set(), []

    def wrapper(*args, **kwargs):
        result = original(*args, **kwargs)
        calls.append(threading.current_thread().name)
        if threading.current_thread().name not in waited:
            waited.add(threading.current_thread().name)
            try:
                barrier.wait()
            except threading.BrokenBarrierError:
                pass  # the others are waiting for a lock this thread holds: go on
        return result

    monkeypatch.setattr(owner, name, wrapper)
    return calls


def at_once(work, parties):
    """Run `work()` in `parties` threads started together; (results, exceptions) in completion order."""
    start = threading.Barrier(parties, timeout=30)
    results, errors = [], []

    def run():
        try:
            start.wait()
            results.append(work())
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, name=f"request-{i}") for i in range(parties)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return results, errors
