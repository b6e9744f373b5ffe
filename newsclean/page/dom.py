"""Helpers on Lexbor nodes that several page stages share.

>>> from selectolax.lexbor import LexborHTMLParser
>>> div = LexborHTMLParser('<div>Read <a href="/x">this  story</a> now</div>').css_first("div")
>>> node_text(div), linked_chars(div), round(link_density(div), 2)
('Read this story now', 10, 0.53)
"""

from __future__ import annotations

from selectolax.lexbor import LexborNode

__all__ = ["INLINE_TAGS", "distinct", "link_density", "linked_chars", "next_element", "node_text"]

INLINE_TAGS = frozenset({"a", "abbr", "b", "cite", "code", "dfn", "em", "i", "kbd", "mark", "q", "s", "samp",
                         "small", "span", "strong", "sub", "sup", "time", "u", "var"})
"""Elements that run inside a line of text rather than starting a block."""


def node_text(node: LexborNode | None) -> str:
    """The node's text, whitespace collapsed (children joined by a space); "" for None."""
    if node is None:
        return ""
    return " ".join((node.text(deep=True, separator=" ") or "").split())


def linked_chars(node: LexborNode) -> int:
    """Characters of text inside the node's links."""
    return sum(len(node_text(a)) for a in node.css("a"))


def link_density(node: LexborNode) -> float:
    """The share of the node's text that sits in links (0 for a node without text)."""
    total = len(node_text(node))
    if not total:
        return 0.0
    return min(linked_chars(node) / total, 1.0)


def next_element(node: LexborNode) -> LexborNode | None:
    """The next sibling that is an element, skipping text and comments."""
    sibling = node.next
    while sibling is not None and not sibling.is_element_node:
        sibling = sibling.next
    return sibling


def distinct(nodes: list[LexborNode]) -> list[LexborNode]:
    """``nodes`` in their order, each once: Lexbor lists an element once for each selector of a
    list it matches (``[id], [class]``: twice for an element with both), one after the other.

    >>> from selectolax.lexbor import LexborHTMLParser
    >>> found = LexborHTMLParser('<p id="a" class="x">1</p><p id="b">2</p>').css("[id], [class]")
    >>> [n.text() for n in found], [n.text() for n in distinct(found)]
    (['1', '1', '2'], ['1', '2'])
    """
    out: list[LexborNode] = []
    last = None
    for node in nodes:
        if node.mem_id != last:
            out.append(node)
            last = node.mem_id
    return out
