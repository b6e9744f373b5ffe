"""Fetch pages and clean them: one URL or thousands, sync or async.

``fetch(url)`` and ``await afetch(url)`` return an :class:`~newsclean.Article` or
raise a :class:`~newsclean.FetchError` subclass. ``fetch_many(urls)`` and
``afetch_many(urls)`` yield, as each URL finishes, either an Article or a
:class:`FetchFailure`; a batch never stops on one bad URL. A batch shares one
client, one robots.txt cache and one per-host limiter.

Pass ``client=`` (an ``httpx.AsyncClient`` or ``httpx.Client``, e.g. one built on
``httpx.MockTransport``) to use your own transport, proxies or cache; it is not
closed for you. The page bytes are decoded with the ``Content-Type`` charset first,
then the page's own declaration, then detection (:func:`newsclean.page.decode.decode_html`).
Each Article carries what the fetch saw in ``article.diagnostics.fetch``
(:class:`~newsclean.FetchInfo`): the requested and final URL, the redirects, status,
content type, bytes, elapsed seconds and whether it came from the on-disk cache.

Keywords, as everywhere: ``options`` (:class:`~newsclean.Options`) for cleaning,
``rules`` (:class:`~newsclean.Rules`), and ``fetch_options``
(:class:`~newsclean.FetchOptions`) for the download.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import dataclasses
import queue
import threading
from collections.abc import AsyncIterable, AsyncIterator, Coroutine, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from newsclean.article import Article, FetchInfo
from newsclean.errors import FetchError, NewscleanError
from newsclean.options import FetchOptions, Options
from newsclean.page.decode import charset_from_content_type, decode_html
from newsclean.page.pipeline import clean
from newsclean.rules import Rules
from newsclean.web.response import Page
from newsclean.web.session import Session
from newsclean.web.transport import Client

__all__ = ["FetchFailure", "afetch", "afetch_many", "fetch", "fetch_many"]

T = TypeVar("T")


@dataclass(frozen=True)
class FetchFailure:
    """A URL of a batch that did not become an Article, and why.

    >>> failure = FetchFailure("https://x.test/a", FetchError("gone", url="https://x.test/a"))
    >>> failure.reason
    'https://x.test/a: gone'
    """

    url: str
    error: NewscleanError

    @property
    def reason(self) -> str:
        """The error message, for a person."""
        return str(self.error)


async def afetch(
    url: str,
    *,
    rules: Rules | None = None,
    options: Options | None = None,
    fetch_options: FetchOptions | None = None,
    client: Client | None = None,
) -> Article:
    """Download ``url`` and clean it; raises a :class:`~newsclean.FetchError` on failure."""
    async with Session(fetch_options or FetchOptions(), client) as session:
        return await _fetch_one(session, url, rules, options)


def fetch(
    url: str,
    *,
    rules: Rules | None = None,
    options: Options | None = None,
    fetch_options: FetchOptions | None = None,
    client: Client | None = None,
) -> Article:
    """Download ``url`` and clean it (the blocking twin of :func:`afetch`).

    Works inside a running event loop too (e.g. a notebook): the work then runs
    on a private loop in a helper thread.
    """
    return _run(afetch(url, rules=rules, options=options, fetch_options=fetch_options, client=client))


async def afetch_many(
    urls: Iterable[str] | AsyncIterable[str],
    *,
    rules: Rules | None = None,
    options: Options | None = None,
    fetch_options: FetchOptions | None = None,
    client: Client | None = None,
) -> AsyncIterator[Article | FetchFailure]:
    """Fetch and clean many URLs, ``fetch_options.concurrency`` at a time, yielding as each finishes.

    ``urls`` is read lazily, so it may be a generator over a huge file. Every URL
    yields exactly one item: an :class:`~newsclean.Article` or a :class:`FetchFailure`.
    If iterating ``urls`` itself raises, that exception is raised here once the URLs
    already started are done.
    """
    opts = fetch_options or FetchOptions()
    async with Session(opts, client) as session:
        source = _aiter(urls)
        pull = asyncio.Lock()
        results: asyncio.Queue[Article | FetchFailure | None] = asyncio.Queue(opts.concurrency * 2)

        closing = False

        async def worker() -> None:
            while not closing:
                async with pull:
                    try:
                        url = await source.__anext__()
                    except StopAsyncIteration:
                        return
                await results.put(await _attempt(session, url, rules, options))

        async def finish() -> None:
            await asyncio.gather(*workers, return_exceptions=True)
            await results.put(None)

        workers = [asyncio.ensure_future(worker()) for _ in range(opts.concurrency)]
        finisher = asyncio.ensure_future(finish())
        try:
            while (item := await results.get()) is not None:
                yield item
            errors = [task.exception() for task in workers]
            error = next((e for e in errors if e is not None), None)
            if error is not None:
                raise error
        finally:
            closing = True
            # Cancel until done: asyncio.wait_for (Python < 3.12) can swallow a
            # cancellation that lands just as its inner task finishes.
            tasks: set[asyncio.Future[None]] = {*workers, finisher}
            while pending := {task for task in tasks if not task.done()}:
                for task in pending:
                    task.cancel()
                await asyncio.wait(pending, timeout=0.1)
            await asyncio.gather(*tasks, return_exceptions=True)


def fetch_many(
    urls: Iterable[str],
    *,
    rules: Rules | None = None,
    options: Options | None = None,
    fetch_options: FetchOptions | None = None,
    client: Client | None = None,
) -> Iterator[Article | FetchFailure]:
    """The blocking twin of :func:`afetch_many`: an iterator yielding as each URL finishes.

    The batch runs on an event loop in a helper thread; leaving the loop early
    (``break``) cancels what is still in flight.
    """
    opts = fetch_options or FetchOptions()
    out: queue.Queue[tuple[str, Any]] = queue.Queue(opts.concurrency * 2)
    stop = threading.Event()

    async def produce() -> None:
        batch = afetch_many(urls, rules=rules, options=options, fetch_options=opts, client=client)
        try:
            async for item in batch:
                while not stop.is_set():
                    try:
                        out.put_nowait(("item", item))
                        break
                    except queue.Full:
                        await asyncio.sleep(0.01)
                if stop.is_set():
                    return
        finally:
            await batch.aclose()  # type: ignore[attr-defined]

    def run() -> None:
        try:
            asyncio.run(produce())
        except BaseException as exc:  # handed to the consumer thread, raised there
            _put(out, ("error", exc), stop)
        else:
            _put(out, ("done", None), stop)

    thread = threading.Thread(target=run, name="newsclean-fetch-many", daemon=True)
    thread.start()
    try:
        while True:
            kind, value = out.get()
            if kind == "item":
                yield value
            elif kind == "error":
                raise value
            else:
                return
    finally:
        stop.set()
        while thread.is_alive():
            try:  # unblock a producer waiting on a full queue
                out.get_nowait()
            except queue.Empty:
                thread.join(0.05)


def _put(out: queue.Queue[tuple[str, Any]], item: tuple[str, Any], stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            out.put(item, timeout=0.05)
            return
        except queue.Full:
            continue


async def _attempt(
    session: Session, url: str, rules: Rules | None, options: Options | None
) -> Article | FetchFailure:
    try:
        return await _fetch_one(session, url, rules, options)
    except NewscleanError as exc:
        return FetchFailure(url, exc)
    except Exception as exc:  # a batch never stops: anything else becomes a failure too
        return FetchFailure(url, FetchError(f"unexpected {type(exc).__name__}: {exc}", url=url))


async def _fetch_one(
    session: Session, url: str, rules: Rules | None, options: Options | None
) -> Article:
    if not isinstance(url, str):
        raise FetchError(f"a URL must be a string, not {type(url).__name__}", url=repr(url))
    url = url.strip()
    page = await session.get(url)
    return await asyncio.to_thread(_clean_page, page, rules, options)


def _clean_page(page: Page, rules: Rules | None, options: Options | None) -> Article:
    html = decode_html(page.body, declared=charset_from_content_type(page.content_type))
    article = clean(html, url=page.final_url, rules=rules, options=options)
    fetched = FetchInfo(
        requested_url=page.url,
        final_url=page.final_url,
        status=page.status,
        content_type=page.content_type,
        redirects=page.redirects,
        bytes=len(page.body),
        from_cache=page.from_cache,
        elapsed=round(page.elapsed, 3),
    )
    return dataclasses.replace(article, diagnostics=dataclasses.replace(article.diagnostics, fetch=fetched))


async def _aiter(urls: Iterable[str] | AsyncIterable[str]) -> AsyncIterator[str]:
    if isinstance(urls, AsyncIterable):
        async for url in urls:
            yield url
    else:
        for url in urls:
            yield url


def _run(coro: Coroutine[Any, Any, T]) -> T:
    """Run ``coro`` to completion from blocking code, even inside a running loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()
