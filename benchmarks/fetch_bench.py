"""Fetch layer: memory held by a gzip bomb, and batch throughput, against a peer in the same run.

Serves the test site (tests/_newsserver.py) on 127.0.0.1 and prints two tables:

1. peak Python memory (tracemalloc) while fetching a 50 MB gzip bomb with a 1 MB
   limit: newsclean.fetch vs a plain ``httpx.get(...).content``;
2. pages per second for N article pages: newsclean.fetch_many (robots.txt,
   retries, limits, cleaning) vs a sequential loop of httpx.Client.get + newsclean.clean.

Run: PYTHONPATH=. python benchmarks/fetch_bench.py [N]
"""

from __future__ import annotations

import sys
import time
import tracemalloc
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from _newsserver import BOMB_MB, news_server  # type: ignore[import-not-found]  # noqa: E402

import newsclean  # noqa: E402


def peak(func: object) -> tuple[float, str]:
    tracemalloc.start()
    try:
        outcome = "ok"
        try:
            func()  # type: ignore[operator]
        except Exception as exc:
            outcome = type(exc).__name__
        return tracemalloc.get_traced_memory()[1] / 1e6, outcome
    finally:
        tracemalloc.stop()


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    options = newsclean.FetchOptions(max_bytes=1_000_000, per_host_delay=0, per_host=16, concurrency=16)
    with news_server() as (base, _):
        ours, ours_outcome = peak(lambda: newsclean.fetch(f"{base}/bomb", fetch_options=options))
        peer, peer_outcome = peak(lambda: httpx.get(f"{base}/bomb").content)
        print(f"\n## gzip bomb ({BOMB_MB} MB of zeros, gzip), limit 1 MB\n")
        print("| client | peak memory (MB) | outcome |")
        print("| --- | ---: | --- |")
        print(f"| newsclean.fetch | {ours:.1f} | {ours_outcome} |")
        print(f"| httpx.get().content | {peer:.1f} | {peer_outcome} |")
        print(f"| ratio (newsclean / httpx) | {ours / peer:.3f} | |")

        urls = [f"{base}/page/{i}" for i in range(n)]
        started = time.perf_counter()
        results = list(newsclean.fetch_many(urls, fetch_options=options))
        ours_rate = n / (time.perf_counter() - started)
        ok = sum(isinstance(r, newsclean.Article) for r in results)
        started = time.perf_counter()
        with httpx.Client() as client:
            peer_ok = sum(bool(newsclean.clean(client.get(u).content, url=u).text) for u in urls)
        peer_rate = n / (time.perf_counter() - started)
        print(f"\n## {n} article pages from 127.0.0.1, fetched and cleaned\n")
        print("| way | pages/s | articles |")
        print("| --- | ---: | ---: |")
        print(f"| newsclean.fetch_many (concurrency 16) | {ours_rate:.0f} | {ok} |")
        print(f"| httpx.Client.get + clean, sequential | {peer_rate:.0f} | {peer_ok} |")
        print(f"| ratio | {ours_rate / peer_rate:.2f} | |")


if __name__ == "__main__":
    main()
