"""The fetch layer against a real HTTP server on 127.0.0.1 (started here, stopped after)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from _newsserver import BOMB_MB, ENDLESS_CAP, State, news_server

import newsclean
from newsclean import (
    Article,
    BlockedError,
    FetchError,
    FetchFailure,
    FetchOptions,
    HTTPStatusError,
    NotHTMLError,
    TooLargeError,
)

OPTIONS = FetchOptions(backoff=0.05, retries=2, per_host_delay=0, total_timeout=8, max_bytes=1_000_000)


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, State]]:
    with news_server() as running:
        yield running


def test_normal_article(server: tuple[str, State]) -> None:
    base, state = server
    article = newsclean.fetch(f"{base}/article", fetch_options=OPTIONS)
    assert article.title == "Harbour bridge reopens after repairs"
    assert "two hundred rivets" in article.text and "Most Read" not in article.text
    assert state.hits["/robots.txt"] == 1


def test_503_succeeds_on_the_third_try(server: tuple[str, State]) -> None:
    base, state = server
    assert "rivets" in newsclean.fetch(f"{base}/flaky/1", fetch_options=OPTIONS).text
    assert state.hits["/flaky/1"] == 3
    with pytest.raises(HTTPStatusError) as info:
        flaky = FetchOptions(retries=1, backoff=0.05, per_host_delay=0)
        newsclean.fetch(f"{base}/flaky/2", fetch_options=flaky)
    assert info.value.status == 503 and state.hits["/flaky/2"] == 2


def test_429_honours_retry_after(server: tuple[str, State]) -> None:
    base, state = server
    started = time.monotonic()
    assert newsclean.fetch(f"{base}/ratelimited/1", fetch_options=OPTIONS).text
    assert time.monotonic() - started >= 0.95
    assert state.hits["/ratelimited/1"] == 2


def test_404_is_not_retried(server: tuple[str, State]) -> None:
    base, state = server
    with pytest.raises(HTTPStatusError, match="404") as info:
        newsclean.fetch(f"{base}/missing", fetch_options=OPTIONS)
    assert info.value.status == 404 and state.hits["/missing"] == 1


def test_redirect_chain_and_loop(server: tuple[str, State]) -> None:
    base, _ = server
    article = newsclean.fetch(f"{base}/chain/3", fetch_options=OPTIONS)
    assert article.url == f"{base}/article" and len(article.diagnostics.fetch.redirects) == 4
    with pytest.raises(FetchError, match="too many redirects"):
        newsclean.fetch(f"{base}/chain/5", fetch_options=FetchOptions(max_redirects=2, per_host_delay=0))
    with pytest.raises(FetchError, match="redirect loop"):
        newsclean.fetch(f"{base}/loop/a", fetch_options=OPTIONS)


def test_endless_body_is_cut_at_the_limit(server: tuple[str, State]) -> None:
    base, state = server
    with pytest.raises(TooLargeError, match="1,000,000"):
        newsclean.fetch(f"{base}/endless", fetch_options=OPTIONS)
    assert state.hung_up["/endless"].wait(5), "the client kept the endless stream open"
    # what the server got out before it noticed: the limit plus socket buffers, not the cap
    assert state.sent["/endless"] < ENDLESS_CAP / 4


def test_gzip_bomb_is_stopped(server: tuple[str, State]) -> None:
    base, _ = server
    with pytest.raises(TooLargeError, match="after decompression"):
        newsclean.fetch(f"{base}/bomb", fetch_options=OPTIONS)
    assert 40 * OPTIONS.max_bytes < BOMB_MB * 1024 * 1024
    # a normal gzip page still works
    assert "rivets" in newsclean.fetch(f"{base}/gzipped", fetch_options=OPTIONS).text


def test_slow_drip_hits_the_total_timeout(server: tuple[str, State]) -> None:
    base, state = server
    options = FetchOptions(total_timeout=1.5, read_timeout=5, per_host_delay=0)
    started = time.monotonic()
    with pytest.raises(newsclean.FetchTimeout, match=r"1\.5 s in total"):
        newsclean.fetch(f"{base}/drip", fetch_options=options)
    assert time.monotonic() - started < 3.5
    assert state.hung_up["/drip"].wait(5)


def test_pdf_is_not_html(server: tuple[str, State]) -> None:
    base, _ = server
    with pytest.raises(NotHTMLError, match="application/pdf"):
        newsclean.fetch(f"{base}/pdf", fetch_options=OPTIONS)


def test_windows_1252_with_the_charset_only_in_the_header(server: tuple[str, State]) -> None:
    base, _ = server
    article = newsclean.fetch(f"{base}/cp1252", fetch_options=OPTIONS)
    assert "Le caf\u00e9 du port" in article.text and "2,50 \u20ac" in article.text
    assert "\ufffd" not in article.text


def test_robots_disallowed_path_is_never_requested(server: tuple[str, State]) -> None:
    base, state = server
    with pytest.raises(BlockedError, match=r"robots\.txt"):
        newsclean.fetch(f"{base}/private/page", fetch_options=OPTIONS)
    assert state.hits["/private/page"] == 0
    no_robots = FetchOptions(respect_robots=False, per_host_delay=0)
    assert newsclean.fetch(f"{base}/private/page", fetch_options=no_robots).text
    assert state.hits["/private/page"] == 1


def test_a_batch_over_every_case_ends_each_as_specified(server: tuple[str, State]) -> None:
    base, _ = server
    expected = {
        "/page/1": Article,
        "/flaky/batch": Article,
        "/missing": HTTPStatusError,
        "/loop/a": FetchError,
        "/endless": TooLargeError,
        "/bomb": TooLargeError,
        "/pdf": NotHTMLError,
        "/private/page": BlockedError,
        "/cp1252": Article,
    }
    options = FetchOptions(backoff=0.05, retries=2, per_host=4, per_host_delay=0, max_bytes=1_000_000)
    seen = {}
    for item in newsclean.fetch_many([base + path for path in expected], fetch_options=options):
        if isinstance(item, FetchFailure):
            seen[item.url[len(base) :]] = type(item.error)
        else:
            seen[item.diagnostics.fetch.requested_url[len(base) :]] = Article
    assert seen == expected


def test_on_disk_cache_does_not_download_twice(server: tuple[str, State], tmp_path: object) -> None:
    pytest.importorskip("hishel")
    base, state = server
    options = FetchOptions(cache_dir=str(tmp_path), respect_robots=False, per_host_delay=0)
    first = newsclean.fetch(f"{base}/counted", fetch_options=options)
    second = newsclean.fetch(f"{base}/counted", fetch_options=options)
    assert first.text == second.text and "rivets" in second.text
    assert state.hits["/counted"] == 1
    assert (first.diagnostics.fetch.from_cache, second.diagnostics.fetch.from_cache) == (False, True)
