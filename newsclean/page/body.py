"""The article body: furniture pruned, the page normalised, the main content extracted.

A safeguard backs the rules off when they leave too little: the page is read again
with only code removed, and that extraction is taken when it holds much more text.
A live blog's entries (from its JSON-LD) replace the extraction when they hold at
least half as many words.

>>> from selectolax.lexbor import LexborHTMLParser
>>> from newsclean.rules import Rules
>>> page = ('<body><article><p>' + 'A storm hit the coast on Monday night. ' * 12 + '</p>'
...         '<div class="share-bar">Share on Facebook</div></article></body>')
>>> body = find_body(LexborHTMLParser(page), page, None, Rules.default(), None, Options())
>>> [b.kind for b in body.blocks], [r.rule for r in body.removed], body.safeguard
(['paragraph'], ['generic.token.share'], False)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser

from newsclean.article import Block, Removal
from newsclean.options import Options
from newsclean.page.extract import extract_blocks, without_head
from newsclean.page.metadata import Metadata
from newsclean.page.normalize import math_to_text, wrap_loose_text
from newsclean.page.prune import prune, safe_prune
from newsclean.rules import Rules

__all__ = ["Body", "find_body", "live_blocks", "word_count"]

MIN_WORDS = 40
"""Below this many words after pruning, the safeguard tries the page with only code removed."""


@dataclass(frozen=True)
class Body:
    """What extraction found: the ``blocks``, the structural ``removed``, whether the
    ``safeguard`` stepped in, and the ``pruned`` page serialised (for the date search)."""

    blocks: tuple[Block, ...]
    removed: tuple[Removal, ...]
    safeguard: bool
    pruned: str


def word_count(blocks: Sequence[Block]) -> int:
    """Whitespace-separated words in the blocks' text."""
    return sum(len(b.text.split()) for b in blocks)


def find_body(tree: LexborHTMLParser, html: str, url: str | None, rules: Rules, site_name: str | None,
              options: Options) -> Body:
    """Prune ``tree`` (changed in place), normalise it and extract its main content.
    ``html`` is the page the tree was parsed from, re-read by the safeguard."""
    removed = prune(tree, rules.compile(url, site_name))
    math_to_text(tree)
    wrap_loose_text(tree)
    pruned = tree.html or ""
    blocks = extract_blocks(without_head(tree, pruned), url, options)
    if word_count(blocks) >= MIN_WORDS:
        return Body(blocks, tuple(removed), False, pruned)
    fallback_tree = LexborHTMLParser(html)
    safe_removed = safe_prune(fallback_tree, rules.compile(url))
    math_to_text(fallback_tree)
    fallback = extract_blocks(without_head(fallback_tree, fallback_tree.html or ""), url, options)
    if word_count(fallback) > 2 * max(word_count(blocks), 10):
        return Body(fallback, tuple(safe_removed), True, pruned)
    return Body(blocks, tuple(removed), False, pruned)


def live_blocks(meta: Metadata) -> list[Block]:
    """A live blog's entries as blocks: each entry's headline (unless its text holds it) and text."""
    out: list[Block] = []
    for entry in meta.live_entries:
        if entry.headline and entry.headline not in entry.text:
            out.append(Block("heading", entry.headline, level=3, time=entry.time))
        out.append(Block("entry", entry.text, time=entry.time))
    return out
