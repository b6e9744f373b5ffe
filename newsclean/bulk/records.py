"""The shapes of batch records, shared by readers, the pool, writers and Spark.

An input record is ``{"id", "url", "html"}`` (plus ``charset`` when its bytes came with
a declared one); a result is ``{"id", "url", **Article.to_dict()}``; a failure is
``{"id", "url", "error"}``: a batch never drops a document silently.

>>> failure_record({"id": "x", "html": "..."}, "timed out")
{'id': 'x', 'url': None, 'error': 'timed out'}
"""

from __future__ import annotations

from typing import Any

__all__ = ["Record", "failure_record"]

Record = dict[str, Any]
"""One document on its way through a batch (a plain dict, so any engine can carry it)."""


def failure_record(record: Record, error: str) -> Record:
    """The failure record for ``record``: its ``id`` and ``url``, and ``error``."""
    return {"id": record.get("id"), "url": record.get("url"), "error": error}
