"""Text mode: find the article in leaked text, read its header, cut threads and teasers.

``clean_text`` gets text another extractor pulled out badly, or a whole page's visible text (a
crawl's WET record). Each non-empty line is a paragraph block, and :func:`analyse` decides, line by
line, what stays and, for each line that goes, which rule takes it:

1. furniture lines: the ``line``, ``heading`` and ``credit`` rules (with the ``text_only`` packs:
   the shipped ``textmode`` pack), the ``notice`` rules (cookie banners, comment forms, promos) and
   captions before credits;
2. every line is classed (:mod:`newsclean.page.span`), a comment thread after the article found
   (:mod:`newsclean.page.tails`, ``text.comments``) and the article's span found: the stretch of
   prose with the greatest score, from the headline when a whole page's text repeats its ``<title>``;
3. inside the span, the tail after a widget heading (``text.teasers``, ``text.bio``) and the teaser
   items after each widget heading go; outside it, a whole page's text loses every line, an
   extractor's output only its junk lines (``text.outside``; a span of less than ``SPAN_MIN_WORDS``
   words of prose is no article, and outside it only junk goes);
4. the header before the first paragraph gives the ``title``, ``description`` and ``authors``
   (:mod:`newsclean.page.textheader`), and those lines leave the text;
5. duplicates (structural repeats kept) and captions before credits, as on pages.

Linear in the number of lines; every removal is recorded with a rule id, in line order.

>>> from newsclean.article import Block
>>> lines = ["Home", "News", "Sport", "Weather", "Storm hits the coast", "By Jane Roe",
...          "A storm hit the coast on Monday night, cutting power to thousands of homes, officials said.",
...          "Repairs would take weeks, and people were urged to stay indoors until the wind dropped.",
...          "Related", "Another storm story", "Contact", "About us", "Jobs", "Privacy"]
>>> found = analyse([Block("paragraph", t) for t in lines], Rules.default())
>>> found.header.title, found.header.authors
('Storm hits the coast', ('Jane Roe',))
>>> [lines[i] for i, g in enumerate(found.gone) if g is None]  # doctest: +NORMALIZE_WHITESPACE
['A storm hit the coast on Monday night, cutting power to thousands of homes, officials said.',
 'Repairs would take weeks, and people were urged to stay indoors until the wind dropped.']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from newsclean.article import Block, Removal
from newsclean.page.limits import Deadline
from newsclean.page.linefeatures import calibrate, line_features
from newsclean.page.span import LineClass, best_span, extend_span, is_page, line_class
from newsclean.page.tails import tail_start, teaser_items, thread_start
from newsclean.page.textheader import (
    HEADER_MAX_LINES,
    Header,
    find_headline,
    read_header,
    split_site,
    title_like,
)
from newsclean.page.textrules import compile_for, mark_captions, mark_duplicates, mark_furniture
from newsclean.rules import CompiledRules, Rules

__all__ = ["SPAN_MIN_WORDS", "STANDFIRST_OUT_OF_TEXT", "Analysis", "analyse"]

STANDFIRST_OUT_OF_TEXT = False
"""Whether the standfirst read from the header leaves the text (it is the ``description`` either way).
Kept in the text, as ``clean()`` keeps a lead paragraph: taking it out cost 0.002 of snippet recall
on text-dev overall and 0.004 on whole-page text, where the truth holds the lead."""
SPAN_MIN_WORDS = 30
"""A span with fewer words of prose than this is no article to anchor on (a product's data sheet, a
listing): outside it, only junk lines go, even from a whole page's text."""
# Removals that mark a hard edge of the article (see ``span.extend_span``).
_HARD = frozenset({"line", "heading", "notice"})
_KINDS = {"text.title": "title", "text.standfirst": "standfirst", "text.header": "header",
          "text.outside": "outside"}
_CHECK_EVERY = 512


@dataclass
class Analysis:
    """What text mode decided about one text, line by line: each line's class, the removal that
    takes it (None: it stays), the article's span (first and last line), the header, and where
    the comment thread and the headline's first paragraph are (None: not found)."""

    blocks: list[Block]
    classes: list[LineClass]
    gone: list[Removal | None]
    span: tuple[int, int]
    header: Header
    thread: int | None
    anchor: int | None


def analyse(blocks: list[Block], rules: Rules, *, url: str | None = None, site_name: str | None = None,
            deadline: Deadline | None = None) -> Analysis:
    """Decide, for every line (a one-line paragraph block), whether it stays and why not."""
    deadline = deadline or Deadline(None)
    lines = [b.text for b in blocks]
    page_site = split_site(lines[0])[1] if title_like(lines[0]) else None
    if page_site and not _stands_alone(page_site, lines):
        page_site = None  # the name matters to the rules only where a line is just the name
    compiled = compile_for(blocks, rules, url, site_name, page_site, text=True)
    # 1. Furniture lines: the text rules, the notices, captions before credits.
    gone = mark_furniture(blocks, compiled, deadline, url)
    for i, line in enumerate(lines):
        if not i % _CHECK_EVERY:
            deadline.check("text rules")
        if gone[i] is None and (rule := compiled.match_notice(line)):
            gone[i] = Removal(rule, "notice", line)
    mark_captions(blocks, gone)  # a caption is not a headline: mark it before the header is read
    if page_site and (g := gone[0]) is not None and g.rule == "text.caption":
        gone[0] = None  # the page's <title>, before the site's name it revealed: not a caption
    # 2. Classes, the headline anchor, the comment thread, the span.
    feats = []
    for i, line in enumerate(lines):
        if not i % _CHECK_EVERY:
            deadline.check("text mode")
        feats.append(line_features(line))
    cal = calibrate(feats)
    classes = [line_class(f, cal, marked=g is not None) for f, g in zip(feats, gone, strict=True)]
    prose = [c is LineClass.PROSE for c in classes]
    headline = find_headline(lines, [g is not None for g in gone], prose)
    anchor = None
    if headline is not None:  # a whole page's text repeats its <title>: the article starts after it
        anchor = next((i for i in range(headline + 1, min(len(lines), headline + 1 + 2 * HEADER_MAX_LINES))
                       if prose[i]), None)
    thread = thread_start(lines, prose, compiled, start=anchor or 0)
    if thread is not None:  # a comment thread is not article: its lines do not count as prose
        for i in range(thread, len(lines)):
            classes[i] = LineClass.JUNK
            prose[i] = False
    deadline.check("text mode")
    span = best_span(feats, classes, anchor)
    hard = [g is not None and g.kind in _HARD and not f.datey for g, f in zip(gone, feats, strict=True)]
    start, end = extend_span(classes, *span, hard) if span else (0, len(blocks) - 1)
    if thread is not None and thread <= end:
        end = max(start, thread - 1)
    # 3. Inside the span: the tail after a widget heading (teasers, a bio), teaser lists.
    end = _cut_tail(lines, prose, gone, start, end)
    _cut_teasers(lines, prose, gone, start, end)
    _cut_teasers(lines, prose, gone, end + 1, (thread if thread is not None else len(lines)) - 1)
    # 4. Outside the span: a whole page's text loses every line; an extractor's output only its junk
    # (what it kept beside the article is as often the article's as not).
    span_words = sum(feats[i].words for i in range(start, end + 1) if prose[i])
    page = is_page(classes) and span_words >= SPAN_MIN_WORDS
    for i, line in enumerate(lines):
        if gone[i] is None and (i < start or i > end) and (page or classes[i] is LineClass.JUNK):
            if thread is not None and i >= thread:  # a comment's furniture by its own rule ("Jo says:")
                gone[i] = Removal(compiled.match_comments(line) or "text.comments", "comments", line)
            else:
                gone[i] = Removal("text.outside", "outside", line)
    # 5. The header before the first paragraph: title, standfirst, bylines.
    body_start = next((i for i in range(start, end + 1) if prose[i]), start)
    header = read_header(lines, body_start, [g is not None and g.rule != "text.outside" for g in gone],
                         headline=headline, rules=compiled)
    header.site_name = header.site_name or _learned_site(compiled, rules, url, site_name, page_site)
    if header.standfirst is not None and (STANDFIRST_OUT_OF_TEXT or gone[header.standfirst] is not None):
        header.removed[header.standfirst] = "text.standfirst"
    for i, rule in header.removed.items():
        g = gone[i]
        if g is None or (g.rule == "text.outside" and rule not in ("text.header", "text.outside")):
            gone[i] = Removal(rule, _KINDS.get(rule, "byline"), lines[i])
    # 6. Duplicates (structural repeats kept) among the lines left, and captions before credits.
    deadline.check("text rules")
    left = [i for i in range(len(lines)) if gone[i] is None]
    left_gone = [gone[i] for i in left]
    mark_duplicates([blocks[i] for i in left], left_gone,
                    restated_before=sum(1 for i in left if i < body_start))
    for i, g in zip(left, left_gone, strict=True):
        gone[i] = g
    mark_captions(blocks, gone)
    return Analysis(blocks, classes, gone, (start, end), header, thread, anchor)


def _stands_alone(name: str, lines: Sequence[str]) -> bool:
    """Whether some line is the site's name alone, or with "TV", "Video", "News" (``generic.credit.site``)."""
    name = name.lower()
    forms = {name, name + " tv", name + " video", name + " news"}
    return any(len(line) <= len(name) + 6 and line.lower().strip(" :|>»›-–—•·") in forms for line in lines)


def _learned_site(compiled: CompiledRules, rules: Rules, url: str | None, *names: str | None) -> str | None:
    """The site's name the widget headings revealed ("More from GB News"), if any."""
    known = set(rules.compile(url, *names, text=True).site_names)
    return next((n for n in compiled.site_names if n not in known), None)


def _cut_tail(lines: Sequence[str], prose: Sequence[bool], gone: list[Removal | None], start: int,
              end: int) -> int:
    """Remove the article's tail after a widget heading (``tails.tail_start``); the new end."""
    headings = [i for i in range(start, end + 1) if (g := gone[i]) is not None and g.kind == "heading"]
    tail = tail_start(headings, lines, prose, start, end)
    kept = [i for i in range(tail + 1, end + 1) if gone[i] is None] if tail is not None else []
    items = next((n for n, i in enumerate(kept) if prose[i]), len(kept))  # teaser lines before its prose
    if tail is None or (all(prose[i] for i in kept[items:]) and (items == 0 or (
            2 <= items < len(kept) and gone[kept[items] - 1] is None))):
        return end  # no tail; or one of prose alone (a closing paragraph under a sub-head), or prose
        # right after a teaser list (a box in the article's last paragraphs): the teasers go, the prose
        # stays - unless another widget heading stands over it (an author's bio)
    bio = (g := gone[tail]) is not None and g.rule == "textmode.heading.author"
    rule, kind = ("text.bio", "bio") if bio else ("text.teasers", "teasers")
    for i in range(tail + 1, end + 1):
        if gone[i] is None:
            gone[i] = Removal(rule, kind, lines[i])
    return tail


def _cut_teasers(lines: Sequence[str], prose: Sequence[bool], gone: list[Removal | None], start: int,
                 end: int) -> None:
    """Remove the teaser items after each widget heading in ``start..end`` (``tails.teaser_items``).
    A heading among the teasers of the one before it has no others (they run to the same line of
    prose, and are cut already): skipped, so a run of headings costs one pass, not one each.

    >>> lines = ["Related", "Teaser one", "More from us", "Teaser two", "A paragraph of prose."]
    >>> gone = [Removal("x", "heading", "") if i in (0, 2) else None for i in range(5)]
    >>> _cut_teasers(lines, [False, False, False, False, True], gone, 0, 4)
    >>> [g.kind if g else None for g in gone]
    ['heading', 'teasers', 'heading', 'teasers', None]
    """
    covered = start  # the lines before it are a heading's teasers, cut already
    for i in range(start, end + 1):
        if i >= covered and (g := gone[i]) is not None and g.kind == "heading":
            items = teaser_items(i, lines, prose, end + 1)
            for j in items:
                if gone[j] is None:
                    gone[j] = Removal("text.teasers", "teasers", lines[j])
            covered = items.stop
