"""Fuzz newsclean.clean(), clean_text() and decode_html() with atheris (libFuzzer).

Not run by CI. See docs/fuzzing.md:

    pip install atheris
    PYTHONPATH=. python fuzz/fuzz_clean.py -max_total_time=600 -timeout=30 fuzz/corpus

A crash is any exception out of clean()/clean_text() (they promise never to raise), any
"<script" in article.html, and any call slower than -timeout seconds.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    from newsclean import Article, Options, clean, clean_text
    from newsclean.page.decode import decode_html

_OPTIONS = Options(max_bytes=2_000_000, timeout=20.0)


def test_one_input(data: bytes) -> None:
    provider = atheris.FuzzedDataProvider(data)
    mode = provider.ConsumeIntInRange(0, 3)
    if mode == 0:
        article = clean(provider.ConsumeBytes(provider.remaining_bytes()), url="https://example.com/a",
                        options=_OPTIONS)
    elif mode == 1:
        article = clean(provider.ConsumeUnicodeNoSurrogates(provider.remaining_bytes()), options=_OPTIONS)
    elif mode == 2:
        article = clean_text(provider.ConsumeUnicode(provider.remaining_bytes()), options=_OPTIONS)
    else:
        text = decode_html(provider.ConsumeBytes(provider.remaining_bytes()))
        if "\x00" in text:
            raise AssertionError("decode_html left a NUL character")
        return
    if not isinstance(article, Article):
        raise AssertionError(f"not an Article: {article!r}")
    if "<script" in article.html.lower():
        raise AssertionError(f"script survived in article.html: {article.html[:200]!r}")
    article.to_json()


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
