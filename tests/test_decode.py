"""UTF-8 pages are checked for dropped characters on their bytes: the same text as a check on the text."""

from __future__ import annotations

import codecs

from hypothesis import example, given, settings
from hypothesis import strategies as st

from newsclean.page import decode
from newsclean.page.decode import decode_html, decode_with_source, strip_controls

PIECES = st.sampled_from(["<p>", "café", "\x00", "\x0b", "\x0c", "\x1b", "\x7f", "\t\n\r", "\ufffd", "\ufffe",
                          "\uffff", "\ufeff", "日本", "😀", "\u2028", "plain text "])


def test_bad_bytes_are_the_ascii_characters_strip_controls_drops() -> None:
    dropped = bytes(c for c in range(0x80) if decode._BAD_CHARS.match(chr(c)))
    assert dropped == decode._BAD_BYTES


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=20).map("".join), st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff"]))
def test_utf8_pages_lose_exactly_what_strip_controls_drops(text: str, prefix: bytes) -> None:
    data = prefix + text.encode("utf-8")  # b"\xff": not valid UTF-8, so decoded another way
    decoded, _ = decode._decode(data, None)
    assert decode_html(data) == strip_controls(decoded)


def test_noncharacters_and_controls_in_utf8_are_dropped() -> None:
    assert decode_html("a\x00b\x0cc\ufffed\uffffé".encode()) == "ab cdé"


@settings(max_examples=500, deadline=None)
@given(st.one_of(
    st.text().map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.binary(),
    st.text().map(lambda t: codecs.BOM_UTF8 + t.encode("utf-8", "surrogatepass")),
    st.binary().map(lambda b: codecs.BOM_UTF8 + b),
    st.text(alphabet="<p>café ").map(lambda t: t.encode("cp1252")),
))
@example(codecs.BOM_UTF8 + b"caf\xff")  # replaced, not decoded: no source
def test_the_source_decode_gives_back_is_the_text_in_utf8(data: bytes) -> None:
    text, source = decode_with_source(data)
    assert text == decode_html(data)
    assert source is None or source == text.encode("utf-8")
    if data.isascii() or not data.startswith(codecs.BOM_UTF8):
        try:
            strict = data.decode("utf-8")
        except UnicodeDecodeError:
            return
        if strict == text and len(data) > 0 and not data.isascii():
            assert source == data  # valid non-ASCII UTF-8 that needed no cleaning
