"""The shapes of batch records, shared by readers, the pool, writers and Spark.

An input record is ``{"id", "url", "html"}`` (plus ``charset`` when its bytes came with
a declared one), or ``{"id", "url", "text"}`` for text already extracted (a WET record);
a result is ``{"id", "url", **Article.to_dict()}``; a failure is
``{"id", "url", "error"}``: a batch never drops a document silently.

>>> failure_record({"id": "x", "html": "..."}, "timed out")
{'id': 'x', 'url': None, 'error': 'timed out'}
"""

from __future__ import annotations

from typing import Any

from newsclean.page.strings import scrub_optional

__all__ = ["Record", "failure_record"]

Record = dict[str, Any]
"""One document on its way through a batch (a plain dict, so any engine can carry it)."""


def failure_record(record: Record, error: str) -> Record:
    """The failure record for ``record``: its ``id`` and ``url``, and ``error``, each scrubbed
    of what no writer can encode (:func:`~newsclean.page.strings.scrub`).

    >>> failure_record({"id": "a" + chr(0xD800), "url": "https://x.test/" + chr(0)}, "boom")
    {'id': 'a', 'url': 'https://x.test/', 'error': 'boom'}
    """
    return {"id": scrub_optional(record.get("id")), "url": scrub_optional(record.get("url")),
            "error": scrub_optional(error)}
