"""Recover the standfirst (the lead paragraph between headline and body) when the
extractor skipped it.

Templates put the lead in an element named for it (``class="article-lead"``,
``"teaser-text"``, ``"intro"``, ``"standfirst"``...), or in the article's ``<header>``
or ``<hgroup>`` (the one holding the headline), between the headline and the body,
often outside the container trafilatura picks, or under a class it discards as a
teaser. It is part of the article: it is found in the pruned page and put back first, and
it is the article's ``description`` when the page declares none.

>>> from selectolax.lexbor import LexborHTMLParser
>>> tree = LexborHTMLParser('<body><h1>Storm hits</h1><p class="article-lead">A storm hit the '
...     'coast on Monday night, cutting power to thousands of homes.</p>'
...     '<div class="body"><p>Officials said repairs would take weeks.</p></div></body>')
>>> find_standfirst(tree, "Officials said repairs would take weeks.")
'A storm hit the coast on Monday night, cutting power to thousands of homes.'
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise

from selectolax.lexbor import LexborHTMLParser, LexborNode, SelectolaxError

from newsclean.article import Block
from newsclean.page.dom import linked_chars, node_text
from newsclean.page.textrules import tokens
from newsclean.rules import split_words

__all__ = ["find_standfirst", "missing_standfirst"]

# Words of class/id names that say "lead paragraph", in the languages of the rule packs.
LEAD_WORDS = frozenset({
    "lead", "leadtext", "intro", "introduction", "introtext", "standfirst", "excerpt", "summary",
    "chapo", "chapeau", "deck", "dek", "abstract", "preface", "sapo", "bajada", "entradilla",
    "sumario", "vorspann", "anreisser", "occhiello", "catenaccio", "lede",
    "subheadline", "subline", "subtitle", "untertitel",
    "perex", "ingress", "ingressi", "manchet", "copete", "sommario", "zajawka",
})
# Words that say the element is something else, whatever else its name says: a byline or
# date line, the site's tagline, a rating or a shopping-cart summary, a menu.
_NOT_LEAD = frozenset({"meta", "byline", "author", "date", "dateline", "site", "rating", "cart",
                       "price", "menu", "flyout", "comment", "comments"})
# Pairs that name a lead where either word alone would not ("teaser" alone is a teaser list).
_LEAD_PAIRS = frozenset({("teaser", "text"), ("article", "teaser"), ("article", "description"),
                         ("news", "description"), ("news", "teaser"), ("artikel", "teaser")})
_TAGS = frozenset({"p", "div", "h2", "section", "span"})
_START_CHARS = 24
_HEADINGS = "h1, h2, h3, h4, h5, h6"
_MAX_CANDIDATES = 8
_MIN_LETTERS = 0.75
_NOT_TEXT = frozenset({"script", "style", "noscript", "template", "title"})
_MIN_CHARS = 60
_MAX_CHARS = 1200
_WORD = re.compile(r"\w+")


def _names(node: LexborNode) -> set[str]:
    attrs = node.attributes
    return {w for name in ("class", "id") for w in split_words(attrs.get(name) or "")}


def _named_lead(node: LexborNode) -> bool:
    attrs = node.attributes
    for name in ("class", "id"):
        value = attrs.get(name)
        if not value:
            continue
        words = split_words(value)
        if LEAD_WORDS.intersection(words) or any(pair in _LEAD_PAIRS for pair in pairwise(words)):
            return True
    return False


def _in_header(node: LexborNode) -> bool:
    """A paragraph or subheading in the article's ``<header>`` or ``<hgroup>`` (one inside
    an ``<article>`` or ``<main>``: the site's own header holds its tagline)."""
    parent = node.parent
    if node.tag not in ("p", "h2") or parent is None or parent.tag not in ("header", "hgroup"):
        return False
    ancestor = parent.parent
    while ancestor is not None and ancestor.tag not in ("article", "main", "body"):
        ancestor = ancestor.parent
    if ancestor is not None and ancestor.tag in ("article", "main"):
        return True
    return parent.tag == "header" and parent.css_first("h1") is not None  # the headline's header


def _key(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def _teaser(node: LexborNode, text: str, tree: LexborHTMLParser) -> bool:
    """Another article's teaser, not this one's lead: cut off with an ellipsis, or one of
    several elements of the same class (a teaser list)."""
    if text.endswith(("...", "…", "[…]", "[...]")):
        return True
    name = node.attributes.get("class")
    if not name or not name.isprintable():
        return False
    quoted = name.replace("\\", "\\\\").replace('"', '\\"')
    try:
        return len(tree.css(f'{node.tag}[class="{quoted}"]')) > 1
    except SelectolaxError:
        return False


def find_standfirst(tree: LexborHTMLParser, body_start: str) -> str | None:
    """The text of the lead element nearest before the body's first paragraph
    (``body_start``) in the pruned ``tree``; None if there is none."""
    body = tree.body
    start = _key(body_start)[:_START_CHARS]
    if body is None or len(start) < 8:
        return None
    candidates: list[LexborNode] = []
    seen = ""  # the text so far (its tail): the body's start may span inline elements
    for node in body.traverse(include_text=True):
        if node.tag == "-text":
            raw = node.text_content
            if not raw or raw.isspace():
                continue
            parent = node.parent
            if parent is not None and parent.tag in _NOT_TEXT:
                continue
            seen = seen + " " + _key(raw)
            if start in seen:
                break
            seen = seen[-_START_CHARS:]
        elif node.tag in _TAGS and (_named_lead(node) or _in_header(node)):
            candidates.append(node)
    else:
        return None  # the body's start was not found: no telling what comes before it
    # the nearest, innermost first (a slice: mypyc, without selectolax's types, fails on reversed())
    for node in candidates[:-_MAX_CANDIDATES - 1:-1]:
        text = _qualifies(node, start, tree)
        if text:
            return text
    return None


def _qualifies(node: LexborNode, start: str, tree: LexborHTMLParser) -> str | None:
    if _NOT_LEAD.intersection(_names(node)):
        return None
    text = node_text(node)
    if not _MIN_CHARS <= len(text) <= _MAX_CHARS or start in _key(text):
        return None
    letters = sum(c.isalpha() for c in text)
    if letters < _MIN_LETTERS * (len(text) - text.count(" ")):
        return None  # figures, not prose: a ticker, a table of facts
    if any(h.mem_id != node.mem_id for h in node.css(_HEADINGS)):
        return None  # a header block holding the headline, not the lead itself
    linked = linked_chars(node)
    if linked > 0.3 * len(text) or _teaser(node, text, tree):
        return None
    return text


def missing_standfirst(tree: LexborHTMLParser, extracted: Sequence[Block], title: str | None) -> str | None:
    """The lead paragraph the extractor skipped (found by :func:`find_standfirst` before the
    first paragraph of the ``extracted`` blocks), unless the extraction or the title already
    holds it; None when there is none. The pipeline puts it first in the text, and makes it
    the ``description`` when the page declares none.

    >>> tree = LexborHTMLParser('<body><p class="intro">A storm hit the coast on Monday night, cutting '
    ...     'power to thousands of homes.</p><p>Officials said repairs would take weeks.</p></body>')
    >>> body = [Block("paragraph", "Officials said repairs would take weeks.")]
    >>> missing_standfirst(tree, body, "Storm hits")
    'A storm hit the coast on Monday night, cutting power to thousands of homes.'
    >>> missing_standfirst(tree, [Block("paragraph", "A storm hit the coast on Monday night, cutting power "
    ...                                 "to thousands of homes."), *body], "Storm hits") is None
    True
    """
    first = next((b.text for b in extracted if b.kind == "paragraph" and len(b.text) >= 40), None)
    lead = find_standfirst(tree, first) if first else None
    if lead is None:
        return None
    key = " ".join(tokens(lead))
    have = " ".join(" ".join(tokens(b.text)) for b in extracted)
    if key[:80] in have or key in " ".join(tokens(title or "")):
        return None
    return lead
