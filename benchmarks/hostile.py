"""Run hostile and generated inputs through clean()/clean_text(); print crashes, hangs, time per MB.

    PYTHONPATH=. python benchmarks/hostile.py [--generated N] [--seed S]

A crash is any exception; a hang is a call over HANG_SECONDS + HANG_PER_MB * size.
Run as a script (benchmarks is not a package here).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from newsclean import Article, clean, clean_text

HANG_SECONDS = 30.0
HANG_PER_MB = 5.0
SENTENCE = "The storm hit the coast on Monday night and cut power to thousands of homes. "
PARAGRAPHS = "".join(f"<p>{SENTENCE * 3} Paragraph {i}.</p>" for i in range(8))
PAGE = f"<html><head><title>Storm</title></head><body><article>{PARAGRAPHS}</article></body></html>"
XSS = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "xss.txt"

Input = tuple[str, Callable[[], object], int]


def hostile() -> Iterator[tuple[str, str | bytes]]:
    rnd = random.Random(1)
    yield "empty", b""
    yield "whitespace", " \n\t " * 1000
    yield "pdf", b"%PDF-1.7\n" + rnd.randbytes(1_000_000)
    yield "png", b"\x89PNG\r\n\x1a\n" + rnd.randbytes(1_000_000)
    yield "random-bytes", rnd.randbytes(5_000_000)
    yield "deflate", zlib.compress(PAGE.encode() * 1000)
    yield "invalid-utf8", PAGE.encode().replace(b"storm", b"st\xff\xfeorm") * 200
    yield "mixed-encodings", (PAGE.replace("Monday", "Montag, Köln").encode() + PAGE.replace(
        "Monday", "Montag, Köln").encode("cp1252")) * 200
    for codec in ("utf-16", "utf-16-le", "utf-16-be", "utf-32"):
        yield codec, PAGE.encode(codec) * 100
    yield "wrong-charset", PAGE.replace("<head>", '<head><meta charset="shift_jis">').replace(
        "Monday", "Crème brûlée").encode("cp1252") * 100
    yield "nul-controls", PAGE.replace("storm", "st\x00or\x01m\x0b") * 200
    yield "50MB", (f"<html><body><article>{PARAGRAPHS}<script>" + "x = x + 1;\n" * 4_600_000
                   + "</script></article></body></html>").encode()
    yield "50MB-paragraphs", ("<html><body><article>" + PARAGRAPHS * 25_000
                              + "</article></body></html>").encode()
    yield "nesting-100k", "<html><body>" + "<div>" * 100_000 + PARAGRAPHS + "</div>" * 100_000
    yield "nesting-100k-quoted", "<html><body>" + '<div title="<">' * 100_000 + PARAGRAPHS
    yield "attributes-1M", "<div " + " ".join(f"a{i}=x" for i in range(1_000_000)) + ">" + PAGE
    yield "text-node-10MB", "<html><body><p>" + "word " * 2_000_000 + "</p></body></html>"
    yield "unclosed-tags", "<html><body>" + (
        f"<p><b><i><span><a><font>{SENTENCE}<div><table><tr><td>" * 20_000)
    yield "frameset", "<html><frameset><frame src='a'><frame src='b'></frameset></html>" * 1000
    yield "rss", ('<?xml version="1.0"?><rss><channel>' + "<item><title>x</title></item>" * 10_000
                  + "</channel></rss>")
    yield "xml", '<?xml version="1.0"?><note>' + "<to>x</to>" * 10_000 + "</note>"
    yield "json", '{"items": [' + ",".join('{"html": "<p>x</p>"}' for _ in range(20_000)) + "]}"
    yield "only-scripts", "<html><head>" + "<script>var a = '<p>x</p>';</script>" * 20_000 + "</head></html>"
    yield "many-lt", "<" * 5_000_000
    yield "open-tags", "<a " * 1_000_000
    yield "open-quotes", '<a b="' * 500_000
    lines = XSS.read_text(encoding="utf-8").splitlines()
    yield "xss", "<html><body><article>" + "".join(f"<p>{SENTENCE}</p>{line}" for line in lines)


def text_inputs() -> Iterator[tuple[str, str]]:
    yield "text-spaces", " " * 5_000_000 + "x"
    yield "text-repeated-lines", "A line of text with several words in it.\n" * 200_000
    yield "text-numbered-lines", "".join(f"Line {i} with several words in it.\n" for i in range(200_000))
    yield "text-credits", "(Photo " * 300_000
    yield "text-more-from", "\n".join(f"More from site {i}" for i in range(100_000))


TAGS = ["p", "div", "span", "a", "article", "h2", "ul", "li", "table", "td", "figure", "figcaption",
        "img", "script", "style", "nav", "aside", "iframe", "form", "svg", "noscript"]
WORDS = ["The", "storm", "Getty", "Most Read", "Reuters", "Photo: Jo Roe", "<script>alert(1)</script>",
         "&amp;", "\x00", "é", "日本", "Advertisement", "Trending on"]


def generated(count: int, seed: int) -> Iterator[tuple[str, str | bytes]]:
    rnd = random.Random(seed)

    def element(depth: int) -> str:
        tag = rnd.choice(TAGS)
        attrs = "".join(f' {rnd.choice(["class", "id", "href", "onclick", "style", "src"])}="'
                        f'{rnd.choice(["related", "share", "javascript:x()", "/a.jpg", "most-read"])}"'
                        for _ in range(rnd.randrange(3)))
        children = "".join(element(depth + 1) if depth < 8 and rnd.random() < 0.5 else
                           " ".join(rnd.choice(WORDS) for _ in range(rnd.randrange(20)))
                           for _ in range(rnd.randrange(5)))
        return f"<{tag}{attrs}>{children}" + (f"</{tag}>" if rnd.random() < 0.8 else "")

    for i in range(count):
        page = "<html><body>" + "".join(element(0) for _ in range(rnd.randrange(1, 8))) + "</body></html>"
        form = rnd.randrange(3)
        yield f"generated-{i}", page if form == 0 else page.encode("utf-8" if form == 1 else "utf-16")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--generated", type=int, default=500, help="generated pages to run (default 500)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rows: list[tuple[str, int, float, str]] = []
    crashes = hangs = 0
    runs: list[tuple[str, str | bytes, bool]] = [(n, d, False) for n, d in hostile()]
    runs += [(n, d, True) for n, d in text_inputs()]
    runs += [(n, d, False) for n, d in generated(args.generated, args.seed)]
    worst = (0.0, "")  # time per MB over inputs of 100 kB or more
    slowest_small = (0.0, "")  # seconds, inputs under 100 kB (time per MB means little there)
    for name, data, is_text in runs:
        size = len(data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data)
        started = time.perf_counter()
        try:
            article = clean_text(data) if is_text and isinstance(data, str) else clean(data)
            assert isinstance(article, Article)
            outcome = article.reason or f"{len(article.text)} chars"
            if "<script" in article.html.lower():
                outcome, crashes = "SCRIPT IN HTML", crashes + 1
        except Exception as exc:  # the promise under test: nothing escapes
            outcome, crashes = f"CRASH {type(exc).__name__}: {exc}", crashes + 1
        spent = time.perf_counter() - started
        if spent > HANG_SECONDS + HANG_PER_MB * size / 1e6:
            hangs += 1
            outcome = "HANG " + outcome
        if size >= 100_000 and spent / (size / 1e6) > worst[0]:
            worst = (spent / (size / 1e6), name)
        elif size < 100_000 and spent > slowest_small[0]:
            slowest_small = (spent, name)
        if not name.startswith("generated-"):
            rows.append((name, size, spent, outcome))
    print(f"{'input':24} {'bytes':>11} {'seconds':>8} {'s/MB':>7}  outcome")
    for name, size, spent, outcome in rows:
        print(f"{name:24} {size:>11,} {spent:>8.2f} {spent / max(size / 1e6, 0.01):>7.2f}  {outcome[:70]}")
    print()
    print(f"{'inputs run':28} {len(runs)} ({len(runs) - args.generated} hostile, {args.generated} generated)")
    print(f"{'crashes':28} {crashes}")
    print(f"{'hangs':28} {hangs}")
    print(f"{'worst time per MB (>=100 kB)':28} {worst[0]:.2f} s/MB ({worst[1]})")
    print(f"{'slowest input under 100 kB':28} {slowest_small[0]:.2f} s ({slowest_small[1]})")
    print(f"{'cpu':28} {os.cpu_count()} cores")
    sys.exit(1 if crashes or hangs else 0)


if __name__ == "__main__":
    main()
