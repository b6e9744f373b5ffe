"""Code that an extractor returned as text: markup and JSON lines in the blocks.

When its own extraction fails, trafilatura falls back on others that may return a page's text
whole, as one block of lines; on a page whose markup it could not read (a ``<noscript>`` left
open), a line of that block is the page's raw HTML, scripts and all (hundreds of kilobytes).
A page may also print a JSON blob where a paragraph stands (a shop's widget state). Neither is
ever an article's text:

- a line of markup (at least :data:`MARKUP_MIN_TAGS` tags, tags being at least
  :data:`MARKUP_MIN_SHARE` of it) becomes the lines of text a reader would see in it (scripts,
  styles and templates dropped); the markup is recorded as ``text.markup``;
- a line that is a JSON object or array (at least :data:`JSON_MIN_CHARS` characters) goes, as
  ``text.json``.

A removal records the first :data:`RECORDED_CHARS` characters of what went.

>>> from newsclean.article import Block
>>> page = '<div><h2>Deploy in minutes</h2><script>var x = 1;</script><p>Connect your repo.</p></div>' * 8
>>> state = '{"price": 15.49, "currency": "EUR", "label": "In stock", "stock": 12, "shipping": "2 days"}'
>>> blocks, removed = unpack_code([Block("paragraph", "Get started\\n" + page), Block("paragraph", state)])
>>> blocks[0].text.split("\\n")[:3]
['Get started', 'Deploy in minutes', 'Connect your repo.']
>>> [r.rule for r in removed]
['text.markup', 'text.json']
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import replace

from selectolax.lexbor import LexborHTMLParser

from newsclean.article import Block, Removal

__all__ = ["JSON_MIN_CHARS", "MARKUP_MIN_SHARE", "MARKUP_MIN_TAGS", "RECORDED_CHARS", "is_json_line",
           "markup_text", "unpack_code"]

MARKUP_MIN_TAGS = 20
"""A line of markup has at least this many tags (prose quoting ``<table>`` or ``<br />`` has a few) ..."""
MARKUP_MIN_SHARE = 0.3
"""... and its tags make at least this share of its characters."""
JSON_MIN_CHARS = 80
"""A JSON line at least this long goes (a short one may be a code sample's output)."""
RECORDED_CHARS = 200

_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?/?>")
_NOT_TEXT = "script, style, template, noscript, svg, head"


def unpack_code(blocks: Sequence[Block]) -> tuple[list[Block], list[Removal]]:
    """The blocks with markup lines read as text and JSON lines dropped; the removals, in order.
    Tables and code blocks are left as they are."""
    out: list[Block] = []
    removed: list[Removal] = []
    for block in blocks:
        if block.kind in ("table", "code") or not _maybe_code(block.text):
            out.append(block)
            continue
        lines: list[str] = []
        for line in block.text.split("\n"):
            if is_json_line(line):
                removed.append(Removal("text.json", "code", _recorded(line)))
            elif _is_markup(line):
                removed.append(Removal("text.markup", "code", _recorded(line)))
                lines += markup_text(line)
            else:
                lines.append(line)
        if lines:
            out.append(replace(block, text="\n".join(lines)))
    return out, removed


def _maybe_code(text: str) -> bool:
    return "<" in text or "{" in text or "[" in text


def _recorded(line: str) -> str:
    return line if len(line) <= RECORDED_CHARS else line[:RECORDED_CHARS] + "…"


def _is_markup(line: str) -> bool:
    if line.count("<") < MARKUP_MIN_TAGS:
        return False
    tags = _TAG.findall(line)
    return len(tags) >= MARKUP_MIN_TAGS and sum(map(len, tags)) >= MARKUP_MIN_SHARE * len(line)


def markup_text(markup: str) -> list[str]:
    """The lines of text a reader would see in ``markup`` (scripts, styles, templates dropped),
    whitespace collapsed.

    >>> markup_text("<div><p>One  two</p><script>x()</script><span>three</span></div>")
    ['One two', 'three']
    """
    tree = LexborHTMLParser(markup)
    for node in tree.css(_NOT_TEXT):
        node.decompose()
    root = tree.body or tree.root
    text = root.text(separator="\n") if root is not None else ""
    return [" ".join(part.split()) for part in text.split("\n") if part.strip()]


def is_json_line(line: str) -> bool:
    """A JSON object or array of at least :data:`JSON_MIN_CHARS` characters.

    >>> is_json_line('{"buybox": [{"displayPrice": "EUR 15.49", "priceAmount": 15.49, "available": true}]}')
    True
    >>> is_json_line("[1] Smith, J. (2020). On the shape of brackets in citations, pp. 1-20 {ed.}")
    False
    """
    line = line.strip()
    if len(line) < JSON_MIN_CHARS or (line[0], line[-1]) not in (("{", "}"), ("[", "]")):
        return False
    try:
        value = json.loads(line)
    except ValueError:
        return False
    return isinstance(value, (dict, list))
