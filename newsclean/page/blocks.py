"""trafilatura's XML body to typed :class:`~newsclean.Block` objects.

Headings, paragraphs, lists (nested, ordered or not), quotes, tables and code stay
apart; ``<lb/>`` becomes a newline inside its block; a layout table whose cells hold
prose gives those cells' blocks instead of one flattened table.

>>> from lxml import etree
>>> body = etree.fromstring("<body><head rend='h2'>Why</head><p>Words.</p>"
...     "<list rend='ol'><item>One</item></list></body>")
>>> [(b.kind, b.text, b.level, b.ordered) for b in body_to_blocks(body)]
[('heading', 'Why', 2, False), ('paragraph', 'Words.', None, False), ('list_item', 'One', 1, True)]
"""

from __future__ import annotations

from typing import Any

from newsclean.article import Block

__all__ = ["body_to_blocks"]


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

