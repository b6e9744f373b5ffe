"""The fetch layer against httpx.MockTransport: no network, no monkeypatching."""

from __future__ import annotations

import asyncio
import gzip
import time
import zlib
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import httpx
import pytest

import newsclean
from newsclean import (
    AddressNotAllowedError,
    Article,
    BlockedError,
    FetchError,
    FetchFailure,
    FetchOptions,
    HTTPStatusError,
    NotHTMLError,
    TooLargeError,
)

FIXTURES = Path(__file__).parent / "fixtures"
ARTICLE = (FIXTURES / "fetch-article.html").read_bytes()
FAST = FetchOptions(backoff=0.01, per_host_delay=0, retries=2, respect_robots=False, total_timeout=10)
HTML = {"content-type": "text/html; charset=utf-8"}

Handler = Callable[[httpx.Request], httpx.Response]


def client(handler: Handler) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.MockTransport(handler))


class Stream(httpx.AsyncByteStream):
    """A response body given chunk by chunk, counting what was pulled from it."""

    def __init__(self, chunks: Callable[[], AsyncIterator[bytes]]) -> None:
        self.chunks = chunks
        self.pulled = 0
        self.closed = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self.chunks():
            self.pulled += len(chunk)
            yield chunk

    async def aclose(self) -> None:
        self.closed = True


def article_handler(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, headers=HTML, content=ARTICLE)


# -- the happy path -----------------------------------------------------------------


def test_fetch_returns_a_clean_article_and_sends_our_headers() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return article_handler(request)

    article = newsclean.fetch("https://news.test/bridge", fetch_options=FAST, client=client(handler))
    assert isinstance(article, Article)
    assert article.title == "Harbour bridge reopens after repairs"
    assert "eight months of repairs" in article.text
    assert "Most Read" not in article.text and "newsletter" not in article.text
    assert article.url == "https://news.test/bridge"
    assert article.diagnostics.fetch.status == 200
    agent = seen[0].headers["user-agent"]
    assert agent.startswith(f"newsclean/{newsclean.__version__}") and "https://" in agent
    assert "gzip" in seen[0].headers["accept-encoding"]


def test_user_agent_override_is_sent_and_used_for_robots() -> None:
    agents: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        agents.append(request.headers["user-agent"])
        if request.url.path == "/robots.txt":
            return httpx.Response(200, text="User-agent: MyBot\nDisallow: /\n\nUser-agent: *\nAllow: /\n")
        return article_handler(request)

    options = FetchOptions(user_agent="MyBot/1.0", per_host_delay=0)
    with pytest.raises(BlockedError, match=r"robots\.txt disallows"):
        newsclean.fetch("https://news.test/a", fetch_options=options, client=client(handler))
    assert agents == ["MyBot/1.0"]  # robots.txt only; the page was never requested
    other = FetchOptions(user_agent="OtherBot/1.0", per_host_delay=0)
    assert newsclean.fetch("https://news.test/a", fetch_options=other, client=client(handler)).text


def test_sync_httpx_client_works_too() -> None:
    sync = httpx.Client(transport=httpx.MockTransport(article_handler))
    article = newsclean.fetch("https://news.test/a", fetch_options=FAST, client=sync)
    assert "harbour bridge" in article.text.lower()


def test_fetch_inside_a_running_event_loop() -> None:
    async def notebook_cell() -> str:
        return newsclean.fetch("https://news.test/a", fetch_options=FAST, client=client(article_handler)).text

    assert "rivets" in asyncio.run(notebook_cell())


def test_afetch() -> None:
    coro = newsclean.afetch("https://news.test/a", fetch_options=FAST, client=client(article_handler))
    article = asyncio.run(coro)
    assert "rivets" in article.text


def test_charset_from_the_header_wins() -> None:
    first = "Le caf\u00e9 co\u00fbte 3 \u20ac, a dit la g\u00e9rante du caf\u00e9 ce matin \u00e0 Paris."
    more = "Les habitants du quartier sont venus nombreux pour la r\u00e9ouverture. " * 4
    body = f"<html><body><article><p>{first}</p><p>{more}</p></article></body></html>"

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, headers={"content-type": "text/html; charset=windows-1252"}, content=body.encode("cp1252")
        )

    text = newsclean.fetch("https://news.test/fr", fetch_options=FAST, client=client(handler)).text
    assert "caf\u00e9 co\u00fbte 3 \u20ac" in text


# -- retries --------------------------------------------------------------------------


def counting(statuses: list[int], headers: dict[str, str] | None = None) -> tuple[Handler, list[int]]:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        status = statuses[min(len(calls), len(statuses) - 1)]
        calls.append(status)
        if status == 200:
            return article_handler(request)
        return httpx.Response(status, headers=headers or {}, text="error")

    return handler, calls


def test_5xx_is_retried_until_success() -> None:
    handler, calls = counting([503, 502, 200])
    assert newsclean.fetch("https://news.test/a", fetch_options=FAST, client=client(handler)).text
    assert calls == [503, 502, 200]


def test_5xx_gives_up_after_the_retries() -> None:
    handler, calls = counting([500])
    with pytest.raises(HTTPStatusError) as info:
        newsclean.fetch("https://news.test/a", fetch_options=FAST, client=client(handler))
    assert info.value.status == 500 and len(calls) == FAST.retries + 1
    assert "500" in str(info.value) and info.value.url == "https://news.test/a"


@pytest.mark.parametrize("status", [400, 401, 403, 404, 410])
def test_other_4xx_is_never_retried(status: int) -> None:
    handler, calls = counting([status, 200])
    with pytest.raises(HTTPStatusError) as info:
        newsclean.fetch("https://news.test/a", fetch_options=FAST, client=client(handler))
    assert info.value.status == status and calls == [status]


@pytest.mark.parametrize("status", [408, 429])
def test_408_and_429_are_retried(status: int) -> None:
    handler, calls = counting([status, 200], {"retry-after": "0"})
    assert newsclean.fetch("https://news.test/a", fetch_options=FAST, client=client(handler)).text
    assert calls == [status, 200]


def test_retry_after_beyond_the_time_limit_fails_at_once() -> None:
    handler, calls = counting([429, 200], {"retry-after": "3600"})
    with pytest.raises(HTTPStatusError, match="retry after 3600 s"):
        newsclean.fetch("https://news.test/a", fetch_options=FAST, client=client(handler))
    assert calls == [429]


def test_connection_errors_and_timeouts_are_retried_then_reported() -> None:
    attempts: list[str] = []

    def refuse(request: httpx.Request) -> httpx.Response:
        attempts.append("connect")
        raise httpx.ConnectError("connection refused", request=request)

    with pytest.raises(FetchError, match="connection failed"):
        newsclean.fetch("https://news.test/a", fetch_options=FAST, client=client(refuse))
    assert len(attempts) == 3

    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("read timed out", request=request)

    with pytest.raises(newsclean.FetchTimeout, match="timed out waiting for data"):
        newsclean.fetch("https://news.test/a", fetch_options=FAST, client=client(slow))


# -- redirects --------------------------------------------------------------------------


def redirecting(routes: dict[str, str]) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        target = routes.get(request.url.path)
        if target is not None:
            return httpx.Response(302, headers={"location": target})
        return article_handler(request)

    return handler


def test_redirect_chain_is_followed_and_recorded() -> None:
    handler = redirecting({"/a": "/b", "/b": "https://other.test/c"})
    article = newsclean.fetch("https://news.test/a", fetch_options=FAST, client=client(handler))
    assert article.url == "https://other.test/c"
    assert article.diagnostics.fetch.redirects == ("https://news.test/a", "https://news.test/b")
    assert article.diagnostics.fetch.requested_url == "https://news.test/a"


def test_redirect_loop_and_too_many_redirects() -> None:
    with pytest.raises(FetchError, match="redirect loop"):
        newsclean.fetch(
            "https://news.test/a", fetch_options=FAST, client=client(redirecting({"/a": "/b", "/b": "/a"}))
        )
    chain = {f"/{i}": f"/{i + 1}" for i in range(20)}
    with pytest.raises(FetchError, match="too many redirects"):
        newsclean.fetch(
            "https://news.test/0",
            fetch_options=FetchOptions(max_redirects=3, per_host_delay=0, respect_robots=False),
            client=client(redirecting(chain)),
        )


@pytest.mark.parametrize("url", ["ftp://news.test/a", "file:///etc/passwd", "news.test/a", "http:///nohost"])
def test_only_http_and_https(url: str) -> None:
    with pytest.raises(FetchError, match=r"only http and https|no host"):
        newsclean.fetch(url, fetch_options=FAST, client=client(article_handler))


def test_redirect_to_another_scheme_is_refused() -> None:
    with pytest.raises(FetchError, match="scheme 'file'"):
        newsclean.fetch(
            "https://news.test/a", fetch_options=FAST, client=client(redirecting({"/a": "file:///etc/passwd"}))
        )


def test_private_address_guard_on_the_url_and_on_every_hop() -> None:
    guarded = FetchOptions(allow_private_addresses=False, respect_robots=False, per_host_delay=0)
    with pytest.raises(AddressNotAllowedError, match=r"127\.0\.0\.1"):
        newsclean.fetch("http://127.0.0.1:9/a", fetch_options=guarded, client=client(article_handler))
    hop = redirecting({"/a": "http://169.254.169.254/latest/meta-data/"})
    with pytest.raises(AddressNotAllowedError, match=r"169\.254\.169\.254"):
        newsclean.fetch("http://93.184.216.34/a", fetch_options=guarded, client=client(hop))
    # off by default: a local address is fetched
    assert newsclean.fetch("http://127.0.0.1:9/a", fetch_options=FAST, client=client(article_handler)).text


# -- what comes back is not an article ---------------------------------------------------


def test_pdf_is_not_html_and_its_body_is_not_read() -> None:
    stream = Stream(lambda: _forever(b"%PDF-1.7 " * 1000))

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"content-type": "application/pdf"}, stream=stream)

    with pytest.raises(NotHTMLError) as info:
        newsclean.fetch("https://news.test/a.pdf", fetch_options=FAST, client=client(handler))
    assert info.value.content_type == "application/pdf" and stream.pulled == 0


@pytest.mark.parametrize(
    ("body", "ok"), [(b"%PDF-1.4 binary", False), (b"\n<!DOCTYPE html>" + ARTICLE, True)]
)
def test_missing_content_type_is_sniffed(body: bytes, ok: bool) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body)

    if ok:
        assert newsclean.fetch("https://news.test/a", fetch_options=FAST, client=client(handler)).text
    else:
        with pytest.raises(NotHTMLError):
            newsclean.fetch("https://news.test/a", fetch_options=FAST, client=client(handler))


@pytest.mark.parametrize(
    ("status", "headers", "body"),
    [
        (403, {"server": "cloudflare"}, b"<html><head><title>Just a moment...</title></head></html>"),
        (503, {"cf-mitigated": "challenge"}, b"<html></html>"),
        (403, {}, b"<script src='https://geo.captcha-delivery.com/captcha/'></script>"),
        (200, {}, b"<html><script>window._cf_chl_opt={cvId: '3'}</script></html>"),
    ],
)
def test_anti_bot_challenge_is_blocked_not_retried(status: int, headers: dict[str, str], body: bytes) -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(status, headers={**HTML, **headers}, content=body)

    with pytest.raises(BlockedError, match="anti-bot challenge"):
        newsclean.fetch("https://news.test/a", fetch_options=FAST, client=client(handler))
    assert len(calls) == 1


def test_cloudflare_detection_script_on_a_real_page_is_fine() -> None:
    body = ARTICLE.replace(
        b"</body>", b"<script src='/cdn-cgi/challenge-platform/scripts/jsd/main.js'></script></body>"
    )

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers=HTML, content=body)

    assert "rivets" in newsclean.fetch("https://news.test/a", fetch_options=FAST, client=client(handler)).text


# -- size limits ----------------------------------------------------------------------------


async def _forever(chunk: bytes) -> AsyncIterator[bytes]:
    while True:
        yield chunk
        await asyncio.sleep(0)


def test_content_length_over_the_limit_is_refused_before_reading() -> None:
    stream = Stream(lambda: _forever(b"x" * 1024))

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={**HTML, "content-length": "50000000"}, stream=stream)

    with pytest.raises(TooLargeError, match="50,000,000 bytes"):
        newsclean.fetch("https://news.test/a", fetch_options=FAST, client=client(handler))
    assert stream.pulled == 0


def test_endless_body_stops_at_the_limit() -> None:
    stream = Stream(lambda: _forever(b"<p>" + b"x" * 4093))

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers=HTML, stream=stream)

    options = FetchOptions(max_bytes=100_000, respect_robots=False, per_host_delay=0)
    with pytest.raises(TooLargeError, match="100,000"):
        newsclean.fetch("https://news.test/a", fetch_options=options, client=client(handler))
    assert 100_000 < stream.pulled <= 100_000 + 4096 and stream.closed


def test_gzip_bomb_is_stopped_after_decompressing_the_limit() -> None:
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    bomb = b"".join(packer.compress(b"\0" * 1_000_000) for _ in range(50)) + packer.flush()
    assert len(bomb) < 100_000  # 50 MB of zeros

    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(bomb), 16_384):
            yield bomb[start : start + 16_384]

    stream = Stream(chunks)

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={**HTML, "content-encoding": "gzip"}, stream=stream)

    options = FetchOptions(max_bytes=1_000_000, respect_robots=False, per_host_delay=0)
    with pytest.raises(TooLargeError, match="after decompression"):
        newsclean.fetch("https://news.test/a", fetch_options=options, client=client(handler))
    assert stream.pulled <= 3 * 16_384  # a 1,000:1 bomb: a few compressed chunks reach 1 MB


def test_gzip_and_deflate_bodies_are_decoded() -> None:
    for encoding, packed in (
        ("gzip", gzip.compress(ARTICLE)),
        ("deflate", zlib.compress(ARTICLE)),
        ("deflate", zlib.compress(ARTICLE)[2:-4]),
    ):

        async def chunks(packed: bytes = packed) -> AsyncIterator[bytes]:
            yield packed[:100]
            yield packed[100:]

        def handler(
            request: httpx.Request,
            encoding: str = encoding,
            chunks: Callable[[], AsyncIterator[bytes]] = chunks,
        ) -> httpx.Response:
            return httpx.Response(200, headers={**HTML, "content-encoding": encoding}, stream=Stream(chunks))

        article = newsclean.fetch("https://news.test/a", fetch_options=FAST, client=client(handler))
        assert "rivets" in article.text, encoding


# -- robots.txt -------------------------------------------------------------------------------


def test_robots_is_fetched_once_per_host_and_obeyed() -> None:
    robots_calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            robots_calls.append(request.url.host)
            return httpx.Response(200, text="User-agent: *\nDisallow: /private/\n")
        return article_handler(request)

    urls = [f"https://news.test/{i}" for i in range(5)] + ["https://news.test/private/x", "https://b.test/1"]
    options = FetchOptions(per_host_delay=0, concurrency=4)
    results = list(newsclean.fetch_many(urls, fetch_options=options, client=client(handler)))
    failures = [r for r in results if isinstance(r, FetchFailure)]
    assert len(results) == 7 and [f.url for f in failures] == ["https://news.test/private/x"]
    assert isinstance(failures[0].error, BlockedError)
    assert sorted(robots_calls) == ["b.test", "news.test"]


@pytest.mark.parametrize(("status", "allowed"), [(404, True), (403, True), (500, False)])
def test_robots_status_rules(status: int, allowed: bool) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return httpx.Response(status)
        return article_handler(request)

    options = FetchOptions(per_host_delay=0, retries=0)
    if allowed:
        assert newsclean.fetch("https://news.test/a", fetch_options=options, client=client(handler)).text
    else:
        with pytest.raises(BlockedError, match="server error"):
            newsclean.fetch("https://news.test/a", fetch_options=options, client=client(handler))


def test_no_robots_option_skips_robots() -> None:
    paths: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        paths.append(request.url.path)
        return article_handler(request)

    newsclean.fetch("https://news.test/a", fetch_options=FAST, client=client(handler))
    assert paths == ["/a"]


# -- batches --------------------------------------------------------------------------------


def test_fetch_many_never_stops_on_a_bad_url() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/missing":
            return httpx.Response(404)
        if request.url.path == "/pdf":
            return httpx.Response(200, headers={"content-type": "application/pdf"}, content=b"%PDF")
        return article_handler(request)

    urls = [
        "https://a.test/ok",
        "https://a.test/missing",
        "gopher://a.test/x",
        "https://a.test/pdf",
        "https://b.test/ok",
    ]
    results = list(newsclean.fetch_many(urls, fetch_options=FAST, client=client(handler)))
    assert len(results) == len(urls)
    failed = {r.url: type(r.error) for r in results if isinstance(r, FetchFailure)}
    assert failed == {
        "https://a.test/missing": HTTPStatusError,
        "gopher://a.test/x": FetchError,
        "https://a.test/pdf": NotHTMLError,
    }
    ok = sorted(r.diagnostics.fetch.requested_url for r in results if isinstance(r, Article))
    assert ok == ["https://a.test/ok", "https://b.test/ok"]


def test_afetch_many_takes_an_async_iterable_and_yields_as_they_complete() -> None:
    async def handler(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(0.3 if request.url.host == "slow.test" else 0)
        return article_handler(request)

    async def urls() -> AsyncIterator[str]:
        for url in ["https://slow.test/1", "https://fast.test/1", "https://fast.test/2"]:
            yield url

    async def collect() -> list[str]:
        transport = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        return [
            r.diagnostics.fetch.requested_url
            async for r in newsclean.afetch_many(urls(), fetch_options=FAST, client=transport)
            if isinstance(r, Article)
        ]

    assert asyncio.run(collect())[-1] == "https://slow.test/1"


def test_per_host_concurrency_and_delay() -> None:
    active = {"now": 0, "max": 0}
    starts: list[float] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        starts.append(time.monotonic())
        active["now"] += 1
        active["max"] = max(active["max"], active["now"])
        await asyncio.sleep(0.05)
        active["now"] -= 1
        return article_handler(request)

    options = FetchOptions(concurrency=8, per_host=2, per_host_delay=0, respect_robots=False)
    async_client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    results = list(
        newsclean.fetch_many(
            [f"https://one.test/{i}" for i in range(8)], fetch_options=options, client=async_client
        )
    )
    assert len(results) == 8 and active["max"] == 2

    starts.clear()
    spaced = FetchOptions(concurrency=4, per_host=4, per_host_delay=0.1, respect_robots=False)
    async_client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    list(
        newsclean.fetch_many([f"https://one.test/{i}" for i in range(4)], fetch_options=spaced,
                             client=async_client)
    )
    gaps = [b - a for a, b in zip(sorted(starts), sorted(starts)[1:], strict=False)]
    assert len(gaps) == 3 and min(gaps) >= 0.09


def test_breaking_out_of_fetch_many_cancels_the_rest() -> None:
    calls: list[str] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        await asyncio.sleep(0.01)
        return article_handler(request)

    options = FetchOptions(concurrency=2, respect_robots=False, per_host_delay=0)
    # Repeated: a cancellation landing as a request finishes once left a worker running.
    for _ in range(20):
        calls.clear()
        async_client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        urls = (f"https://h{i}.test/{i}" for i in range(10_000))
        for item in newsclean.fetch_many(urls, fetch_options=options, client=async_client):
            assert isinstance(item, Article)
            break
        assert len(calls) < 50


# -- options ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [
        {"total_timeout": 0},
        {"max_bytes": 0},
        {"retries": -1},
        {"per_host": 0},
        {"concurrency": 0},
        {"per_host_delay": -1},
        {"user_agent": " "},
        {"max_redirects": 1.5},
    ],
)
def test_bad_options_are_clear_value_errors(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError, match=next(iter(kwargs))):
        FetchOptions(**kwargs)


def test_back_off_longer_than_the_time_left_reports_the_real_error() -> None:
    handler, calls = counting([503, 200])
    options = FetchOptions(backoff=100, total_timeout=2, per_host_delay=0, respect_robots=False)
    started = time.monotonic()
    with pytest.raises(HTTPStatusError, match="503"):
        newsclean.fetch("https://news.test/a", fetch_options=options, client=client(handler))
    assert calls == [503] and time.monotonic() - started < 1


def test_robots_redirect_to_a_private_address_is_refused_under_the_guard() -> None:
    paths: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        paths.append(f"{request.url.host}{request.url.path}")
        if request.url.path == "/robots.txt":
            return httpx.Response(301, headers={"location": "http://10.0.0.7/robots.txt"})
        return article_handler(request)

    guarded = FetchOptions(allow_private_addresses=False, per_host_delay=0)
    with pytest.raises(AddressNotAllowedError, match=r"10\.0\.0\.7"):
        newsclean.fetch("http://93.184.216.34/a", fetch_options=guarded, client=client(handler))
    assert paths == ["93.184.216.34/robots.txt"]


def test_robots_crawl_delay_spaces_requests_to_that_host() -> None:
    starts: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return httpx.Response(200, text="User-agent: *\nCrawl-delay: 0.2\n")
        starts.append(time.monotonic())
        return article_handler(request)

    options = FetchOptions(concurrency=3, per_host=3, per_host_delay=0)
    results = list(
        newsclean.fetch_many(
            [f"https://slow.test/{i}" for i in range(3)], fetch_options=options, client=client(handler)
        )
    )
    assert all(isinstance(r, Article) for r in results)
    gaps = [b - a for a, b in zip(sorted(starts), sorted(starts)[1:], strict=False)]
    assert len(gaps) == 2 and min(gaps) >= 0.19


def test_an_error_in_the_url_iterator_ends_the_batch_instead_of_hanging() -> None:
    def urls() -> Iterator[str]:
        yield "https://news.test/1"
        raise OSError("the URL file went away")

    seen: list[object] = []
    with pytest.raises(OSError, match="went away"):
        for item in newsclean.fetch_many(urls(), fetch_options=FAST, client=client(article_handler)):
            seen.append(item)
    assert len(seen) == 1 and isinstance(seen[0], Article)


@pytest.mark.parametrize("split", [1_000, 65_536, 10**7])
def test_bounded_inflater_gives_back_every_byte(split: int) -> None:
    from newsclean.web.response import STEP, _Inflater

    data = ARTICLE * 50 + b"\0" * 3_000_000 + ARTICLE
    for encoding, packed in (
        ("gzip", gzip.compress(data)),
        ("deflate", zlib.compress(data)),
        ("deflate", zlib.compress(data)[2:-4]),  # raw deflate, no zlib header
        ("gzip", gzip.compress(data[:5000]) + gzip.compress(data[5000:])),  # two members
    ):
        inflater = _Inflater(encoding)
        chunks = [c for i in range(0, len(packed), split) for c in inflater.feed(packed[i : i + split])]
        assert b"".join(chunks) == data, encoding
        assert max(map(len, chunks)) <= STEP


def test_a_client_that_follows_redirects_itself_still_gets_every_hop_checked() -> None:
    hop = redirecting({"/a": "file:///etc/passwd"})
    for own in (
        httpx.AsyncClient(transport=httpx.MockTransport(hop), follow_redirects=True),
        httpx.Client(transport=httpx.MockTransport(hop), follow_redirects=True),
    ):
        with pytest.raises(FetchError, match="scheme 'file'"):
            newsclean.fetch("https://news.test/a", fetch_options=FAST, client=own)
