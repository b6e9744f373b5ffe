"""Clean many pages on all cores: :func:`clean_record` and :func:`batch`.

:func:`clean_record` is the pure, picklable function any engine maps over records
(``{"id", "url", "html"}`` in - or ``{"id", "url", "text"}``, a WET record's text, which
``clean_text`` cleans - ``{"id", "url", **Article.to_dict()}`` or a failure record
``{"id", "url", "error"}`` out). :func:`batch` maps it over a process pool
(pebble, which can kill a task that overruns its time limit and replace the worker),
feeding the pool a bounded window of records so memory stays flat whatever the input
size, and yielding one result per record: in input order, or as they finish.

>>> from newsclean.options import Options
>>> record = {"id": "a", "url": None, "html": "<p>Hello</p>"}
>>> clean_record({"id": "b", "url": None})["error"]
'record has no html'
>>> [r["id"] for r in batch([record, {"id": "b"}], workers=1, options=Options(timeout=None))]
['a', 'b']
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, wait
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import TYPE_CHECKING

from newsclean.article import Article
from newsclean.bulk.records import Record, failure_record
from newsclean.options import Options
from newsclean.page.strings import scrub_optional
from newsclean.rules import Rules

if TYPE_CHECKING:
    from newsclean.bulk.sitewise import SiteLearning

__all__ = ["RecordCleaner", "article_of", "batch", "clean_record", "result_record"]

RecordFunc = Callable[[Record], Record]

#: Records submitted ahead per worker: enough to keep workers busy, small enough to
#: bound memory (each holds one page).
DEFAULT_CHUNK_SIZE = 8

def kill_after(timeout: float) -> float:
    """Seconds after which a worker still cleaning one record is killed and replaced:
    ``Options.timeout`` (which the cleaner checks itself) plus a tenth of it, at least a
    second: the backstop for a call that cannot be interrupted.

    >>> kill_after(1.0), kill_after(60.0)
    (2.0, 66.0)
    """
    return timeout + max(1.0, 0.1 * timeout)
#: In input order, how many windows of finished results may wait behind a slow page.
_BUFFER = 4
#: Tasks a worker runs before it is replaced, so slow leaks in parsers cannot grow.
_MAX_TASKS_PER_WORKER = 1000


def clean_record(record: Record, *, rules: Rules | None = None, options: Options | None = None) -> Record:
    """Clean one record; never raises.

    ``record["html"]`` is ``str`` or ``bytes`` (decoded with ``record["charset"]`` as
    the declared charset when present). Returns ``{"id", "url", **Article.to_dict()}``;
    a record without html, a record that already carries an ``error``, or any
    exception while cleaning gives ``{"id", "url", "error"}`` instead.

    >>> out = clean_record({"id": 7, "html": b"<html><body><p>Hi there.</p></body></html>"})
    >>> out["id"], "error" in out, sorted(out)[:3]
    (7, False, ['authors', 'blocks', 'canonical_url'])
    """
    outcome = article_of(record, rules=rules, options=options)
    return outcome if isinstance(outcome, dict) else result_record(record, outcome)


def article_of(
    record: Record, *, rules: Rules | None = None, options: Options | None = None
) -> Article | Record:
    """The Article of one record, or its failure record (a ``dict``): :func:`clean_record`
    before the Article becomes a record."""
    if record.get("error") is not None and record.get("html") is None:
        return failure_record(record, str(record["error"]))
    html = record.get("html")
    if html is None and isinstance(record.get("text"), str):
        return _text_article(record, rules, options)
    if not isinstance(html, str | bytes):
        return failure_record(record, "record has no html")
    try:
        from newsclean.page.decode import decode_html
        from newsclean.page.pipeline import clean
        from newsclean.page.sniff import sniff_binary

        url = scrub_optional(record.get("url"))
        # Bytes are judged before any decoding: a PNG labelled text/html; charset=utf-8 is a
        # PNG (clean() refuses it), not a page of mojibake.
        if isinstance(html, bytes) and record.get("charset") and sniff_binary(html) is None:
            html = decode_html(html, declared=str(record["charset"]))
        return clean(html, url if isinstance(url, str) else None, rules=rules, options=options)
    except RecursionError:
        return failure_record(record, "RecursionError: the record is nested too deeply to process")
    except Exception as exc:
        return failure_record(record, f"{type(exc).__name__}: {exc}")


def _text_article(record: Record, rules: Rules | None, options: Options | None) -> Article | Record:
    """The Article of a text record (``{"id", "url", "text"}``: a WET record's text), by ``clean_text``."""
    try:
        from newsclean.page.pipeline import clean_text

        url = scrub_optional(record.get("url"))
        return clean_text(str(record["text"]), url=url if isinstance(url, str) else None, rules=rules,
                          options=options)
    except RecursionError:
        return failure_record(record, "RecursionError: the record is nested too deeply to process")
    except Exception as exc:
        return failure_record(record, f"{type(exc).__name__}: {exc}")


def result_record(record: Record, article: Article) -> Record:
    """The output record of ``record`` cleaned into ``article``: ``{"id", "url", **Article.to_dict()}``."""
    try:
        data = article.to_dict()
    except Exception as exc:
        return failure_record(record, f"{type(exc).__name__}: {exc}")
    data["url"] = scrub_optional(record.get("url")) or data.get("url")
    return {"id": scrub_optional(record.get("id")), **data}


@dataclass(frozen=True)
class RecordCleaner:
    """:func:`clean_record` with ``rules`` and ``options`` bound: a picklable function for
    any engine (a process pool, Spark) to map over records.

    >>> cleaner = RecordCleaner(options=Options(favor="precision"))
    >>> cleaner({"id": 1, "html": "<p>Hi there.</p>"})["id"]
    1
    """

    rules: Rules | None = None
    options: Options | None = None

    def __call__(self, record: Record) -> Record:
        return clean_record(record, rules=self.rules, options=self.options)


def batch(
    records: Iterable[Record],
    *,
    rules: Rules | None = None,
    options: Options | None = None,
    workers: int | None = None,
    ordered: bool = True,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    func: RecordFunc | None = None,
    learn_sites: bool | SiteLearning = False,
) -> Iterator[Record]:
    """Clean ``records`` with ``rules`` and ``options`` on ``workers`` processes (default:
    every core), lazily.

    Yields one result per input record, never stopping on a bad one: a page that
    raises, crashes its worker, or runs past ``options.timeout`` gives a failure
    record, and a killed worker is replaced. At most ``workers * chunk_size`` records
    are in flight (and, in order, at most four times that many finished results wait
    behind a slow page), so memory does not grow with the input. ``ordered=False``
    yields results as they finish. ``func`` replaces :func:`clean_record` (then
    ``rules`` and ``options`` are its business; it must be picklable). With
    ``workers=1`` and no time limit records are cleaned in this process, without a pool.

    Records that already carry an ``error`` (unreadable input) pass straight through.

    ``learn_sites=True`` (or a :class:`~newsclean.bulk.sitewise.SiteLearning` to tune it)
    learns each host's furniture from the run's own pages and cleans the host's pages with
    it too (:mod:`newsclean.bulk.sitewise`); results then come per host, not in input order.
    """
    if learn_sites:
        from newsclean.bulk.sitewise import SiteLearning
        from newsclean.bulk.sitewise import learn_sites as learning_batch

        if func is not None:
            raise ValueError("learn_sites cleans with its own func: pass rules and options instead")
        learning = learn_sites if isinstance(learn_sites, SiteLearning) else SiteLearning()
        return learning_batch(records, learning, rules=rules, options=options, workers=workers,
                              chunk_size=chunk_size)
    options = options or Options()
    if func is None:
        func = RecordCleaner(rules, options)
    elif rules is not None:
        raise ValueError("pass rules to your func, not to batch(), when you give a func")
    timeout = None if options.timeout is None else kill_after(options.timeout)
    if workers is None:
        workers = os.cpu_count() or 1
    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers!r}")
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be at least 1, not {chunk_size!r}")
    if workers == 1 and timeout is None:
        return (_passthrough(r) or _call(func, r) for r in records)
    return _pooled(iter(records), workers, workers * chunk_size, options.timeout, ordered, func)


def _passthrough(record: Record) -> Record | None:
    """The failure record for a reader's failure, else None (the record needs cleaning)."""
    if record.get("error") is not None and record.get("html") is None:
        return failure_record(record, str(record["error"]))
    return None


def _call(func: RecordFunc, record: Record) -> Record:
    try:
        return func(record)
    except Exception as exc:
        return failure_record(record, f"{type(exc).__name__}: {exc}")


def _pooled(
    records: Iterator[Record],
    workers: int,
    window: int,
    timeout: float | None,
    ordered: bool,
    func: RecordFunc,
) -> Iterator[Record]:
    from pebble import ProcessPool

    pool = ProcessPool(max_workers=workers, max_tasks=_MAX_TASKS_PER_WORKER)
    pending: deque[tuple[Record, Future[Record]]] = deque()
    # In order, results finished behind a slow page wait in ``pending``; up to
    # ``_BUFFER * window`` of them, so the workers keep busy meanwhile.
    buffer = _BUFFER * window if ordered else window
    exhausted = False

    def in_flight() -> list[Future[Record]]:
        return [future for _, future in pending if not future.done()]

    def refill() -> None:
        nonlocal exhausted
        while not exhausted and len(pending) < buffer and len(in_flight()) < window:
            try:
                record = next(records)
            except StopIteration:
                exhausted = True
                return
            done = _passthrough(record)
            future: Future[Record]
            if done is None:
                future = pool.submit(func, None if timeout is None else kill_after(timeout), record)
            else:
                future = Future()
                future.set_result(done)
            pending.append(({"id": record.get("id"), "url": record.get("url")}, future))

    completed = False
    try:
        refill()
        while pending:
            if ordered:
                while not pending[0][1].done():
                    wait(in_flight(), return_when=FIRST_COMPLETED)
                    refill()
                meta, future = pending.popleft()
                yield _result(meta, future, timeout)
            else:
                wait([f for _, f in pending], return_when=FIRST_COMPLETED)
                for item in [item for item in pending if item[1].done()]:
                    pending.remove(item)
                    yield _result(item[0], item[1], timeout)
            refill()
        completed = True
    finally:
        if completed:
            pool.close()  # type: ignore[no-untyped-call]
        else:
            pool.stop()  # type: ignore[no-untyped-call]
        pool.join()


def _result(meta: Record, future: Future[Record], timeout: float | None) -> Record:
    from pebble import ProcessExpired

    try:
        return future.result()
    except FutureTimeout:
        limit = timeout or 0.0
        return failure_record(meta, f"timed out: still running {kill_after(limit):g} s after it started "
                                    f"(Options.timeout {limit:g} s); worker replaced")
    except ProcessExpired as exc:
        return failure_record(meta, f"worker died ({exc}); worker replaced")
    except Exception as exc:
        return failure_record(meta, f"{type(exc).__name__}: {exc}")
