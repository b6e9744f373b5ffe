"""Comment threads and teaser lists after (or inside) the article, cut as blocks.

A comment thread opens with a heading or a form ("12 Comments", "Leave a Reply", "Kommentar
schreiben") or, without one, with two comments' furniture close together ("Jane says:", "Reply"); it
is cut from there when enough of the article's prose came before it (so that a "Comments" link in a
menu above the article opens nothing). A teaser list is what follows a widget heading ("Related",
"Most read", "Mehr zum Thema"): the title-like lines up to the next paragraph of prose.

>>> from newsclean.rules import Rules
>>> lines = ["A long paragraph of the article " * 15, "3 Comments", "Jane", "I agree with this.", "Reply"]
>>> thread_start(lines, [True, False, False, False, False], Rules.default().compile(text=True))
1
"""

from __future__ import annotations

from collections.abc import Sequence

from newsclean.rules import CompiledRules

__all__ = ["MIN_ARTICLE_WORDS", "tail_start", "teaser_items", "thread_start"]

# A comment thread can open only after this many words of prose.
MIN_ARTICLE_WORDS = 50
# A widget heading opens the article's tail (teasers, an author's bio) when the prose after it, to the
# end of the article, is at most this share of the prose before it, and at most this many words.
TAIL_SHARE = 0.25
TAIL_MAX_WORDS = 200
# Two comment items at most this many lines apart open a thread without a heading.
ITEM_WINDOW = 6


def thread_start(lines: Sequence[str], prose: Sequence[bool], rules: CompiledRules,
                 start: int = 0) -> int | None:
    """The index of the line a comment thread opens with, or None. ``prose`` marks the lines of
    prose; lines before ``start`` are not looked at. One pass."""
    words = 0
    last_item: int | None = None
    for i in range(start, len(lines)):
        if prose[i]:
            words += len(lines[i].split())
            continue
        if words < MIN_ARTICLE_WORDS:
            continue
        rule = rules.match_comments(lines[i])
        if rule == "textmode.comments.heading":
            return i
        if rule is not None:
            if last_item is not None and i - last_item <= ITEM_WINDOW:
                return last_item
            last_item = i
    return None


def teaser_items(heading: int, lines: Sequence[str], prose: Sequence[bool], end: int) -> range:
    """The lines after the widget heading at ``heading`` that are its teasers: every line up to the
    next line of prose (or ``end``, exclusive)."""
    stop = heading + 1
    while stop < end and not prose[stop]:
        stop += 1
    return range(heading + 1, stop)


def tail_start(headings: Sequence[int], lines: Sequence[str], prose: Sequence[bool], start: int,
               end: int) -> int | None:
    """The first of the widget headings at ``headings`` (indices in ``start..end``, ascending) after
    which the article has only a little prose left: teasers with a line of description, an author's
    bio. One pass over the span.

    >>> lines = ["Para one. " * 30, "Related", "Teaser one is here and it is long.", "Teaser two."]
    >>> tail_start([1], lines, [True, False, True, False], 0, 3)
    1
    """
    words = [len(lines[i].split()) if prose[i] else 0 for i in range(start, end + 1)]
    total = sum(words)
    before = 0
    position = start
    for h in headings:
        before += sum(words[position - start : h - start])
        position = h
        after = total - before
        if before and after <= TAIL_SHARE * before and after <= TAIL_MAX_WORDS:
            return h
    return None
