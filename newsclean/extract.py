"""Main-content extraction with trafilatura (the only module that imports it).

Turns trafilatura's XML body into typed :class:`~newsclean.Block` objects, keeping
headings, lists, quotes, tables and code.

>>> blocks = extract_blocks('<html><body><article><h2>Why</h2><p>' + 'Words here. ' * 20
...     + '</p><ul><li>One point</li><li>Another point</li></ul></article></body></html>')
>>> [b.kind for b in blocks]
['heading', 'paragraph', 'list_item', 'list_item']
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import lxml.html
import trafilatura
import trafilatura.core
import trafilatura.utils
from lxml import etree
from selectolax.lexbor import LexborHTMLParser

from newsclean.article import Block
from newsclean.options import Options

__all__ = ["extract_blocks", "without_head"]

logging.getLogger("trafilatura").setLevel(logging.CRITICAL)


def _clean(text: str) -> str:
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def _inline_text(element: Any) -> str:
    """Text of an element, ``<lb/>`` and the edges of blocks inside it as newlines;
    nested lists skipped.

    >>> from lxml import etree
    >>> _inline_text(etree.fromstring("<item><head>WebIDE</head><p>Develop apps.</p>More</item>"))
    'WebIDE\\nDevelop apps.\\nMore'
    """
    return _clean(_raw_inline(element))


def _raw_inline(element: Any) -> str:
    parts: list[str] = []

    def walk(node: Any, top: bool) -> None:
        if not top and node.tag == "list":
            return
        block = not top and node.tag in _INNER_BLOCKS  # a heading or paragraph inside a list item
        if node.tag == "lb" or block:
            parts.append("\n")
        if node.text:
            parts.append(node.text)
        for child in node:
            walk(child, False)
            if child.tail:
                parts.append(child.tail)
        if block:
            parts.append("\n")

    walk(element, True)
    return "".join(parts)


def _list_blocks(element: Any, level: int, out: list[Block]) -> None:
    ordered = (element.get("rend") or "").lower() in ("ol", "ordered")
    for item in element:
        if item.tag != "item":
            continue
        text = _inline_text(item)
        if text:
            out.append(Block("list_item", text, level=level, ordered=ordered))
        for nested in item.iter("list"):
            if nested is not item:
                _list_blocks(nested, level + 1, out)
                break


def _table_block(element: Any) -> Block | None:
    rows = []
    for row in element.iter("row", "tr"):  # raw tr/td survive on some fallback paths
        cells = tuple(_clean(" ".join(cell.itertext())) for cell in row if cell.tag in ("cell", "td", "th"))
        if any(cells):
            rows.append(cells)
    if not rows:
        return None
    text = "\n".join(" | ".join(c for c in r if c) for r in rows)
    return Block("table", text, rows=tuple(rows))


def _is_layout(table: Any) -> bool:
    """A table used for page layout, not data: one of its cells holds prose, at least
    :data:`_LAYOUT_BLOCKS` paragraphs, lists or quotes and :data:`_LAYOUT_CHARS` characters
    (an article laid out in a table cell, as on LWN). Data tables with a paragraph or a
    header per cell stay tables.

    >>> from lxml import etree
    >>> prose = "<p>" + "A sentence of the article. " * 10 + "</p>"
    >>> _is_layout(etree.fromstring(f"<table><row><cell><head>Title</head>{prose * 3}</cell></row></table>"))
    True
    >>> _is_layout(etree.fromstring("<table><row><cell><p>1</p><p>2</p><p>3</p></cell></row></table>"))
    False
    """
    for cell in _own_cells(table):
        prose = [child for child in cell if child.tag in _PROSE_BLOCKS]
        if len(prose) >= _LAYOUT_BLOCKS and sum(len("".join(c.itertext())) for c in prose) >= _LAYOUT_CHARS:
            return True
    return False


def _own_cells(table: Any) -> Any:
    """The cells of ``table`` itself, not those of tables nested in them (which their own
    cell already gives)."""
    for cell in table.iter("cell", "td", "th"):
        if next(cell.iterancestors("table"), None) is table:
            yield cell


_PROSE_BLOCKS = frozenset({"list", "p", "quote"})
_LAYOUT_BLOCKS = 3
_LAYOUT_CHARS = 500


# Elements that start a block of their own; anything else (hi, ref, lb, del...) is inline.
_BLOCK_TAGS = frozenset({"ab", "code", "div", "graphic", "head", "list", "p", "quote", "table"})
_INNER_BLOCKS = frozenset({"ab", "div", "head", "p", "quote", "table"})  # not code: it may be inline


def _has_blocks(element: Any) -> bool:
    return any(child.tag in _BLOCK_TAGS for child in element)


def _container_blocks(element: Any, out: list[Block]) -> None:
    """A container's children in order: block children as blocks, each run of inline
    text between them (the container's own text, inline children, tails) as a paragraph.

    trafilatura's fallbacks (readability, justext) hand back the article wrapped in a
    ``<div>``, and a ``<p>`` can hold a list: both are walked, not flattened into one
    paragraph that loses its lists.
    """
    run: list[str] = [element.text or ""]

    def flush() -> None:
        text = _clean("".join(run))
        if text:
            out.append(Block("paragraph", text))
        run.clear()

    for child in element:
        if not isinstance(child.tag, str):
            pass
        elif child.tag in _BLOCK_TAGS:
            flush()
            _element_blocks(child, out)
        else:
            run.append(_raw_inline(child))
        run.append(child.tail or "")
    flush()


def _element_blocks(element: Any, out: list[Block]) -> None:
    tag = element.tag
    if tag == "graphic":
        return
    if tag == "head":
        rend = (element.get("rend") or "h2").lower()
        level = int(rend[1]) if len(rend) == 2 and rend[1].isdigit() else 2
        text = _inline_text(element)
        if text:
            out.append(Block("heading", text, level=level))
    elif tag == "list":
        _list_blocks(element, 1, out)
    elif tag == "table" and _is_layout(element):
        for cell in _own_cells(element):
            _container_blocks(cell, out)
    elif tag == "table":
        table = _table_block(element)
        text = _clean(" ".join(element.itertext())) if table is None else ""
        if table or text:
            out.append(table or Block("paragraph", text))
    elif tag == "quote":
        if _has_blocks(element):
            parts: list[Block] = []
            _container_blocks(element, parts)
            text = "\n".join(b.text for b in parts)
        else:
            text = _inline_text(element)
        if text:
            out.append(Block("quote", text))
    elif tag == "code":
        text = "".join(element.itertext()).strip("\n")
        if text.strip():
            out.append(Block("code", text))
    elif _has_blocks(element):
        _container_blocks(element, out)
    else:
        text = _inline_text(element)
        if text:
            out.append(Block("paragraph", text))


def body_to_blocks(body: Any) -> list[Block]:
    """trafilatura's XML body element to a list of blocks.

    >>> from lxml import etree
    >>> body = etree.fromstring("<body><div><p>First <hi>bold</hi> words.</p>"
    ...     "<p>Two kinds:<list><item>one</item><item>two</item></list></p></div></body>")
    >>> [(b.kind, b.text) for b in body_to_blocks(body)]  # doctest: +NORMALIZE_WHITESPACE
    [('paragraph', 'First bold words.'), ('paragraph', 'Two kinds:'),
     ('list_item', 'one'), ('list_item', 'two')]
    """
    out: list[Block] = []
    _container_blocks(body, out)
    return out


def extract_blocks(html: str, url: str | None = None, options: Options | None = None) -> tuple[Block, ...]:
    """The main content of ``html`` as blocks; empty on failure, never raises.

    Metadata is not asked of trafilatura: ``metadata.py`` and ``dates.py`` read it from
    the page, which costs a fraction of trafilatura's search.
    """
    options = options or Options()
    blocks, fell_back = _extract(html, url, options, fast=False)
    if fell_back and all(b.kind == "paragraph" for b in blocks) and _list_post(html):
        # A post written as lists: trafilatura's own extraction has no <p>, which it takes
        # for a failure, and a fallback (readability, justext) returns plain paragraphs
        # that flatten or lose items. Its own extraction wins when it holds the lists and
        # no less text.
        own, _ = _extract(html, url, options, fast=True)
        if sum(b.kind == "list_item" for b in own) >= _MIN_ITEMS and _chars(own) >= _chars(blocks):
            return own
    return blocks


def without_head(tree: LexborHTMLParser, html: str) -> str:
    """``html``, the serialised ``tree``, with its ``<head>`` emptied but for JSON-LD.

    With metadata off, trafilatura reads nothing else there (JSON-LD tells it a forum
    thread) and drops the head before extracting; its meta and link tags were still an
    eighth of the elements that its XPath passes walk. Same blocks on every corpus page.

    >>> page = LexborHTMLParser('<html><head><meta name="a" content="b"><script type="application/ld+json">'
    ...     '{}</script></head><body><p>Text</p></body></html>')
    >>> without_head(page, page.html)
    '<html><head><script type="application/ld+json">{}</script></head><body><p>Text</p></body></html>'
    """
    head = tree.head
    if head is None or not (head_html := head.html) or (start := html.find(head_html)) < 0:
        return html
    kept = "".join(s.html or "" for s in head.css('script[type="application/ld+json"]'))
    return f"{html[:start]}<head>{kept}</head>{html[start + len(head_html):]}"


_MIN_ITEMS = 10
_LI = re.compile(r"<li[\s>]", re.IGNORECASE)
_P = re.compile(r"<p[\s>]", re.IGNORECASE)


def _list_post(html: str) -> bool:
    """At least :data:`_MIN_ITEMS` list items, and more of them than paragraphs."""
    items = len(_LI.findall(html))
    return items >= _MIN_ITEMS and items > len(_P.findall(html))


def _chars(blocks: tuple[Block, ...]) -> int:
    return sum(len(b.text) for b in blocks)


def _extract(html: str, url: str | None, options: Options, fast: bool) -> tuple[tuple[Block, ...], bool]:
    """trafilatura's blocks, and whether its comparison chose readability's or justext's."""
    trace = _Trace()
    token = _TRACE.set(trace)
    try:
        document = trafilatura.bare_extraction(
            _parse(html),
            url=url,
            favor_precision=options.favor == "precision",
            favor_recall=options.favor == "recall",
            include_comments=options.include_comments,
            include_tables=options.include_tables,
            include_images=False,
            include_formatting=False,
            include_links=False,
            output_format="xml",  # "python" would also render the text, which is not used
            with_metadata=False,
            deduplicate=False,
            fast=fast,
        )
    except Exception:  # trafilatura raises many types on pathological markup
        return (), False
    finally:
        _TRACE.reset(token)
    body = getattr(document, "body", None) if document is not None else None
    return (tuple(body_to_blocks(body)) if body is not None else ()), trace.fell_back


# trafilatura's parser settings, but each element's class is chosen in C: lxml.html's own
# parser calls back into Python for every element object it hands out (to give forms,
# inputs and labels classes of their own, which trafilatura does not use), some 1,500
# calls a page, ~7% of trafilatura's time.
_PARSER = etree.HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8",
                           remove_comments=True, remove_pis=True)
_PARSER.set_element_class_lookup(etree.ElementDefaultClassLookup(
    element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment,
    pi=lxml.html.HtmlProcessingInstruction, entity=lxml.html.HtmlEntity))


def _parse(html: str) -> Any:
    """``html`` parsed as ``trafilatura.utils.load_html`` parses it, with :data:`_PARSER`;
    ``html`` itself where that parse fails or is doubtful (trafilatura then has its own
    ways with it).

    >>> _parse("<html><body><p>Text</p></body></html>").find("body/p").text_content()
    'Text'
    >>> _parse("just text")
    'just text'
    """
    beginning = html[:50].lower()
    try:
        tree = lxml.html.fromstring(trafilatura.utils.repair_faulty_html(html, beginning), parser=_PARSER)
    except Exception:  # an encoding declaration in a str, or what libxml2 cannot read
        return html
    if tree is None or len(tree) < (1 if "html" in beginning else 2):
        return html
    return tree


# trafilatura weighs its own extraction against readability's on every page (a second
# extraction, ~2.6 ms). ``trafilatura.external._prefer_readability`` only takes readability's
# text when it is more than twice as long as its own (or its own is empty, has no paragraph,
# is table-bound or in recall mode), and justext is only consulted when its own is short or
# holds leftover furniture. Readability's text is a part of the page's text, so when the
# page holds less than twice the extracted text none of that can happen and the comparison
# would return the extraction unchanged: it is skipped. Only for newsclean's own calls
# (the context variable), and only while trafilatura keeps that internal function.


@dataclass
class _Trace:
    """What trafilatura's comparison did during one of newsclean's calls."""

    fell_back: bool = False  # readability's or justext's text replaced its own


_TRACE: ContextVar[_Trace | None] = ContextVar("newsclean_trafilatura_trace", default=None)
_Compare = Callable[[Any, Any, Any, str, Any], tuple[Any, str]]
_SANITIZED = ("aside", "audio", "button", "fencedframe", "fieldset", "figure", "footer", "iframe",
              "input", "label", "link", "nav", "noindex", "noscript", "object", "option", "select",
              "source", "svg", "time")  # trafilatura.external.SANITIZED_XPATH


def _settled(raw_tree: Any, body: Any, text: str, options: Any) -> bool:
    """Whether trafilatura's comparison with readability and justext cannot change ``body``."""
    length = len(text)
    if options.focus == "recall" or length < options.min_extracted_size:
        return False
    if next(body.iter(*_SANITIZED), None) is not None:
        return False
    paragraphs = body.findall(".//p")
    if not any("".join(p.itertext()).strip() for p in paragraphs):
        return False
    if len(body.findall(".//table")) > len(paragraphs):
        return False
    page = raw_tree.find("body")  # readability reads the body only
    return len(" ".join((raw_tree if page is None else page).text_content().split())) <= 2 * length


def _skip_settled(compare: _Compare) -> _Compare:
    def compare_unless_settled(cleaned_tree: Any, raw_tree: Any, body: Any, text: str,
                               options: Any) -> tuple[Any, str]:
        trace = _TRACE.get()
        if trace is None:  # not newsclean's call
            return compare(cleaned_tree, raw_tree, body, text, options)
        try:
            settled = _settled(raw_tree, body, text, options)
        except Exception:  # trafilatura's internals changed: do what it would do
            settled = False
        if settled:
            return body, text
        chosen = compare(cleaned_tree, raw_tree, body, text, options)
        trace.fell_back |= chosen[0] is not body
        return chosen

    compare_unless_settled.__wrapped__ = compare  # type: ignore[attr-defined]
    return compare_unless_settled


_COMPARE = getattr(trafilatura.core, "compare_extraction", None)
if callable(_COMPARE) and not hasattr(_COMPARE, "__wrapped__"):
    setattr(trafilatura.core, "compare_extraction", _skip_settled(_COMPARE))  # noqa: B010
