"""Where the article is in leaked text: the main span of prose, found on lines alone.

Each line is classed (:func:`line_class`) as prose, short, data or junk from its features
(:mod:`features`) and from the text rules that claim it. The article is then the stretch of lines
with the greatest score (:func:`best_span`): prose lines add their words, each run of prose pays a
fixed cost to start, and every other line costs a little (short, data) or more (junk) - plus, if
``GAP_GROWTH`` is set, more the longer its gap has run (0 on text-dev: the quadratic term cost recall
on articles cut by a long inline box). A paragraph next to the article is kept across a caption, a
credit or an ad label; a footer sentence beyond a menu is not worth the menu. Linear in the number
of lines.

>>> lines = ["Home", "News", "Sport", "Weather"] + [
...     "The council approved the new harbour budget on Tuesday after a debate that ran late into the night.",
...     "Supporters said the deeper channel would bring larger ferries and more trade to the town.",
...     "Getty",
...     "Opponents warned that the loans would burden the town for decades, and asked for a vote.",
... ] + ["Contact", "About us", "Jobs", "Terms", "Privacy", "Cookies", "Newsletter", "Follow us"] * 2 + [
...     "We use cookies to give you the best experience on our website, as described in our policy."]
>>> from newsclean.page.linefeatures import line_features, calibrate
>>> feats = [line_features(t) for t in lines]
>>> classes = [line_class(f, calibrate(feats), marked=(t == "Getty")) for t, f in zip(lines, feats)]
>>> best_span(feats, classes)
(4, 7)
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum

from newsclean.page.linefeatures import Calibration, LineFeatures

__all__ = ["LineClass", "best_span", "extend_span", "is_page", "line_class"]


class LineClass(Enum):
    """How a line reads, out of context."""

    PROSE = "prose"  # sentences: what articles are made of
    SHORT = "short"  # a short sentence, a sub-head, a title, a caption: could be either
    DATA = "data"  # a short line of data: "Öffnung: 180 mm", "200 g Zucker", "Ottostraße 14"
    JUNK = "junk"  # a label, a date, a link, a line a text rule removes


# --- classing lines ------------------------------------------------------------------------------------
# Prose: at least this many words (CJK: characters) ...
PROSE_MIN_WORDS = 10
PROSE_MIN_CJK_CHARS = 30
# ... with at least this share of function words, when the language is a listed one ...
PROSE_MIN_STOP_DENSITY = 0.12
# ... and sentence punctuation (a full stop, a comma), unless it is at least this long.
PROSE_UNPUNCTUATED_WORDS = 20
# Junk: a line with a URL or an address is junk under this many words; all capitals under this many.
JUNK_URL_WORDS = 8
JUNK_CAPS_WORDS = 6
JUNK_CAPS_SHARE = 0.8
# Junk: over this share of digits ("12 | 345 | 6", scores, prices).
JUNK_DIGIT_SHARE = 0.4

# A line of at most this many words ending in a colon introduces what follows: short, never junk.
LEAD_IN_MAX_WORDS = 4

# --- scoring the span (units: words of prose) -------------------------------------------------------
# Every run of prose lines pays this to start: a lone sentence in a footer is not worth a gap.
RUN_COST = 4.0
# A non-prose line between runs costs this much (short) or this much (junk) ...
SHORT_COST = 0.25
JUNK_COST = 1.5
# ... plus this much for every non-prose line before it in the same gap: long gaps (menus, teaser
# lists, footers) cost quadratically, short ones (a caption and its credit, an ad label) little.
GAP_GROWTH = 0.0
# The span widens over junk up to a hard boundary this many lines away at most (see ``extend_span``).
EDGE_MAX_LINES = 8
# ... unless this many junk lines in a row (a menu, a teaser list) come first.
EDGE_MAX_JUNK_RUN = 3


def line_class(f: LineFeatures, calibration: Calibration, *, marked: bool = False) -> LineClass:
    """Class one line. ``marked``: a text rule (a credit, a widget heading, an ad label) removes it.

    >>> from newsclean.page.linefeatures import line_features, Calibration
    >>> cal = Calibration(use_stopwords=True)
    >>> line_class(line_features("Officials said repairs would take weeks, and urged us to stay in."), cal)
    <LineClass.PROSE: 'prose'>
    >>> line_class(line_features("Storm hits the coast of Kent"), cal)
    <LineClass.SHORT: 'short'>
    >>> line_class(line_features("» Sport"), cal)
    <LineClass.JUNK: 'junk'>
    """
    if marked or f.datey:
        return LineClass.JUNK
    if f.lead_in and f.words <= LEAD_IN_MAX_WORDS:
        return LineClass.SHORT  # "MEANING:", "Zutaten:": a key, what follows is its value
    if f.label:
        return LineClass.DATA if f.keyed or f.has_digit else LineClass.JUNK
    if f.urlish and f.words < JUNK_URL_WORDS:
        return LineClass.JUNK
    if f.upper >= JUNK_CAPS_SHARE and f.words < JUNK_CAPS_WORDS:
        return LineClass.JUNK
    if f.digits >= JUNK_DIGIT_SHARE:
        return LineClass.JUNK
    if f.cjk:
        prose = f.chars >= PROSE_MIN_CJK_CHARS and (f.sentences or f.commas)
        return LineClass.PROSE if prose else LineClass.SHORT
    if f.words < PROSE_MIN_WORDS:
        return LineClass.SHORT
    if calibration.use_stopwords and f.stop_density < PROSE_MIN_STOP_DENSITY:
        return LineClass.SHORT
    if f.words < PROSE_UNPUNCTUATED_WORDS and not (f.terminal or f.sentences or f.commas):
        return LineClass.SHORT
    return LineClass.PROSE


def line_values(features: Sequence[LineFeatures], classes: Sequence[LineClass]) -> list[float]:
    """Each line's contribution to a span's score (see the module's docstring)."""
    values: list[float] = []
    in_gap = 0
    in_run = False
    for f, cls in zip(features, classes, strict=True):
        if cls is LineClass.PROSE:
            values.append(f.words - (0.0 if in_run else RUN_COST))
            in_run, in_gap = True, 0
        else:
            values.append(-((JUNK_COST if cls is LineClass.JUNK else SHORT_COST) + GAP_GROWTH * in_gap))
            in_run, in_gap = False, in_gap + 1
    return values


def best_span(features: Sequence[LineFeatures], classes: Sequence[LineClass],
              anchor: int | None = None) -> tuple[int, int] | None:
    """First and last line (inclusive) of the highest-scoring stretch, or None without prose; with an
    ``anchor`` (the article's first paragraph, found from its headline), the best stretch holding it.

    Kadane's maximum-sum subarray over :func:`line_values`: one pass (two from an anchor).
    """
    values = line_values(features, classes)
    if anchor is not None:
        return _anchored(values, anchor)
    best, found = 0.0, None
    current, start = 0.0, 0
    for i, value in enumerate(values):
        if current <= 0:
            current, start = value, i
        else:
            current += value
        if current > best:
            best, found = current, (start, i)
    return found


def _anchored(values: Sequence[float], anchor: int) -> tuple[int, int]:
    """The maximum-sum stretch that holds ``anchor``: the best run of lines ending there, joined to the
    best (possibly empty) run starting after it."""
    total, best, start = 0.0, float("-inf"), anchor
    for i in range(anchor, -1, -1):
        total += values[i]
        if total > best:
            best, start = total, i
    total, best, end = 0.0, 0.0, anchor
    for i in range(anchor + 1, len(values)):
        total += values[i]
        if total > best:
            best, end = total, i
    return start, end


def extend_span(classes: Sequence[LineClass], start: int, end: int, hard: Sequence[bool]) -> tuple[int, int]:
    """Widen a span over the lines that touch it: over any line but junk (a sub-head before the first
    paragraph, a short closing sentence or an address after the last) and over a lone junk line
    between two such lines, unless a text rule removes it (``hard``): a list of short items with a
    label or a date between them ("März 2014", "Finalist bei der ORF-Show ...") is content. Then
    further, over junk too, up to a hard boundary (a line a text rule removes - a widget heading, a
    share bar, a comment form - or the text's end, not its start) when one comes within
    ``EDGE_MAX_LINES`` lines and no run of ``EDGE_MAX_JUNK_RUN`` junk lines comes first: what a text's
    own furniture encloses is the article's ("Ottostraße 14", "XX, Die Redaktion" before "Share").
    Linear: each line is looked at a bounded number of times.

    >>> J, S, P = LineClass.JUNK, LineClass.SHORT, LineClass.PROSE
    >>> extend_span([J, S, P, P, J, S, J, J], 2, 3, [False] * 6 + [True, False])
    (1, 5)
    >>> extend_span([J, S, P, P, J, S, J, J], 2, 3, [False] * 8)
    (1, 7)
    >>> extend_span([J, J, J, S, J, S, P, P], 6, 7, [False] * 8)
    (3, 7)
    """
    return _edge(classes, hard, start, -1), _edge(classes, hard, end, 1)


def _edge(classes: Sequence[LineClass], hard: Sequence[bool], at: int, step: int) -> int:
    """How far the span's edge at ``at`` goes in the direction ``step`` (see :func:`extend_span`)."""
    n = len(classes)
    i = at + step
    while 0 <= i < n:
        if classes[i] is not LineClass.JUNK:
            at = i
        elif hard[i] or not 0 <= i + step < n or classes[i + step] is LineClass.JUNK:
            break
        i += step
    # Over junk too, up to a hard boundary or the end of the text, if no run of junk (a menu) is on the way.
    j, run = i, 0
    while 0 <= j < n and abs(j - at) <= EDGE_MAX_LINES and not hard[j]:
        run = run + 1 if classes[j] is LineClass.JUNK else 0
        if run >= EDGE_MAX_JUNK_RUN:
            return at
        j += step
    if abs(j - at) <= EDGE_MAX_LINES and (j == n or (0 <= j < n and hard[j])):
        return j - step
    return at


# A whole page's text (html-text, a crawl's WET record) has menus: runs of at least this many junk
# lines, at least this many times. An extractor's output has at most one such run (a related box).
NAV_RUN_LINES = 4
PAGE_MIN_NAV_RUNS = 2


def is_page(classes: Sequence[LineClass]) -> bool:
    """Whether the text is a whole page's visible text rather than an extractor's output.

    >>> J, P = LineClass.JUNK, LineClass.PROSE
    >>> is_page([J] * 5 + [P] * 3 + [J] * 4), is_page([J] * 5 + [P] * 3)
    (True, False)
    """
    runs = run = 0
    for cls in classes:
        if cls is LineClass.JUNK:
            run += 1
            continue
        runs, run = runs + (run >= NAV_RUN_LINES), 0
    runs += run >= NAV_RUN_LINES
    return runs >= PAGE_MIN_NAV_RUNS
