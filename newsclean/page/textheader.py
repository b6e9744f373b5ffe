"""The article's header in leaked text: headline, standfirst and byline become metadata.

The header is the few lines before the article's first paragraph of prose. In it, the headline is a
title-like line (:func:`title_like`), preferably the one that repeats the page's ``<title>`` (the first
line of a whole page's text, "Headline | Site"); the standfirst is a sentence between the headline and
the body, or a line the body restates; a byline names the author ("By Jane Roe | 18 November").
Datelines and section labels in the header go too, as ``text.header``; the standfirst becomes the
description but stays in the text, as a lead paragraph does on pages.

>>> lines = ["Storm hits the coast | Daily Example", "News", "Storm hits the coast",
...          "Thousands are without power after the worst storm in a decade",
...          "By Jane Roe | 18 November 2024",
...          "A storm hit the coast on Monday night, cutting power to thousands of homes, officials said."]
>>> h = read_header(lines, body_start=5, taken=[False] * 6)
>>> h.title, h.authors, h.site_name
('Storm hits the coast', ('Jane Roe',), 'Daily Example')
>>> h.description
'Thousands are without power after the worst storm in a decade'
>>> sorted(h.removed.items())
[(0, 'text.outside'), (1, 'text.header'), (2, 'text.title'), (4, 'textmode.byline.by')]
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from newsclean.page.linefeatures import line_features, stopwords
from newsclean.rules import CompiledRules, Rules

__all__ = ["Header", "find_headline", "read_header", "split_site", "title_like"]

# The header is at most this many lines before the first paragraph.
HEADER_MAX_LINES = 8
# A headline: this many words at least and at most ...
TITLE_MIN_WORDS = 3
TITLE_MAX_WORDS = 30
# ... and the share of its words it must share with the page's <title> to be taken for it.
TITLE_MATCH_SHARE = 0.6
TITLE_MAX_COMMAS = 2
TITLE_MAX_CHARS = 300
# A line of at most this many words before the headline is a section label ("News", "Politik").
LABEL_MAX_WORDS = 2
# A line the first this many lines of the body restate is a standfirst, not a headline.
RESTATED_LINES = 60
# A standfirst: between these many words.
STANDFIRST_MIN_WORDS = 8
STANDFIRST_MAX_WORDS = 80
# A site's name after a separator in the <title> has at most this many words.
SITE_MAX_WORDS = 5

_SEPARATOR = re.compile(r"\s+(?:[|–—:»·•/]|-|::)\s+")
_WORD = re.compile(r"\w+")


@dataclass
class Header:
    """What the header held, and per line index the rule id that takes the line out of the text."""

    title: str | None = None
    description: str | None = None
    authors: tuple[str, ...] = ()
    site_name: str | None = None
    standfirst: int | None = None  # the line the description was read from; it stays in the text
    removed: dict[int, str] = field(default_factory=dict)


def title_like(text: str) -> bool:
    """A line that could be a headline: a few words, no full stop at the end, not a wrapped sentence
    (it starts in upper case and does not end on a function word), at most two commas.

    >>> title_like("Storm hits the coast"), title_like("It rained."), title_like("Home")
    (True, False, False)
    >>> title_like("The training is very practical and"), title_like("der cremigste Kuchen den ich kenne!")
    (False, False)
    """
    if len(text) > TITLE_MAX_CHARS:
        return False
    f = line_features(text)
    if not TITLE_MIN_WORDS <= f.words <= TITLE_MAX_WORDS or text.rstrip().endswith(".") or f.datey:
        return False
    if text[:1].islower() or text.count(",") > TITLE_MAX_COMMAS:
        return False
    last = _WORD.findall(text.lower())
    return not last or last[-1] not in stopwords()


def split_site(page_title: str) -> tuple[str, str | None]:
    """A page ``<title>`` as (headline, site name): the site's name is the short end after a separator.

    >>> split_site("Storm hits the coast - Daily Example")
    ('Storm hits the coast', 'Daily Example')
    >>> split_site("Storm hits the coast")
    ('Storm hits the coast', None)
    """
    parts = _SEPARATOR.split(page_title.strip())
    if len(parts) >= 2 and len(parts[-1].split()) <= SITE_MAX_WORDS and len(parts[0].split()) >= 2:
        return " - ".join(parts[:-1]) if len(parts) > 2 else parts[0], parts[-1]
    return page_title.strip(), None


def _overlap(a: str, b: str) -> float:
    """Share of ``a``'s words that occur in ``b``."""
    wa = _WORD.findall(a.lower())
    wb = set(_WORD.findall(b.lower()))
    return sum(1 for w in wa if w in wb) / len(wa) if wa else 0.0


def find_headline(lines: Sequence[str], taken: Sequence[bool], prose: Sequence[bool]) -> int | None:
    """Where a whole page's text repeats its ``<title>`` (its first line, "Headline | Site") as the
    article's headline: of the later lines that share most words with it both ways, the one followed
    by the most prose (a teaser of the same story in a sidebar is followed by other teasers).

    >>> lines = ["Storm hits the coast | Daily Example", "Storm hits the coast"] + ["Home"] * 20 + [
    ...          "Storm hits the coast", "A storm hit the coast on Monday night, cutting power to homes."]
    >>> find_headline(lines, [False] * 24, [False] * 23 + [True])
    22
    """
    first = next((i for i in range(len(lines)) if not taken[i]), None)
    if first is None or not title_like(lines[first]):
        return None
    headline = split_site(lines[first])[0]
    keys = [w for w in set(_WORD.findall(headline.lower())) if len(w) >= 3] or _WORD.findall(headline.lower())
    needed = TITLE_MATCH_SHARE * len(keys)
    best, best_words = None, -1
    for i in range(first + 1, len(lines)):
        if taken[i]:
            continue
        lower = lines[i].lower()
        if sum(1 for k in keys if k in lower) < needed:
            continue  # cheap test first: most lines share few words with the title
        if (title_like(lines[i]) and _overlap(lines[i], headline) >= TITLE_MATCH_SHARE
                and _overlap(headline, lines[i]) >= TITLE_MATCH_SHARE):
            after = range(i + 1, min(len(lines), i + 1 + 2 * HEADER_MAX_LINES))
            prose_words = sum(len(lines[j].split()) for j in after if prose[j])
            if prose_words > best_words:
                best, best_words = i, prose_words
    return best


def _restated(text: str, body: Sequence[str]) -> bool:
    """Whether ``text``'s words occur, in order, in one of the ``body`` lines: a standfirst or a
    caption the article restates (a headline is never restated word for word)."""
    key = " " + " ".join(_WORD.findall(text.lower())) + " "
    return len(key) > 2 and any(key in " " + " ".join(_WORD.findall(line.lower())) + " " for line in body)


def _first_headline(lines: Sequence[str], window: Sequence[int], body: Sequence[str],
                    rules: CompiledRules) -> int | None:
    """The header's first line, labels, datelines and bylines aside, if it reads as a headline (and
    is not a wrapped sentence or a standfirst the body restates); else None: a line of content before
    it (a list's item, a sub-head over a table) says the header is not there.

    >>> _first_headline(["News", "Storm hits the coast", "It rained."], [0, 1], ["It rained."],
    ...                 Rules.default().compile(text=True))
    1
    >>> _first_headline(["Where and when:", "Minutes of the last meeting approved", "It rained."],
    ...                 [0, 1], ["It rained."], Rules.default().compile(text=True)) is None
    True
    """
    for i in window:
        f = line_features(lines[i])
        if f.datey or f.words <= LABEL_MAX_WORDS or rules.match_byline(lines[i]):
            continue
        if f.lead_in:
            return None  # "Where and when:" introduces content
        if title_like(lines[i]) and not lines[i + 1][:1].islower() and not _restated(lines[i], body):
            return i
        if not f.label:
            return None
    return None


def read_header(lines: Sequence[str], body_start: int, taken: Sequence[bool], *, headline: int | None = None,
                rules: CompiledRules | None = None) -> Header:
    """Read the header before ``lines[body_start]`` (the article's first paragraph). ``taken`` marks
    lines another rule already removes (a caption, a credit): they are neither title nor standfirst.
    ``headline``: the line :func:`find_headline` found, if any.

    The headline is that line, else the line of the header repeating the page title, else - only at
    the top of the text - the header's first title-like line. It goes to ``title`` (``text.title``);
    bylines go to ``authors``; datelines and labels before the headline go (``text.header``). The
    standfirst, the first sentence-sized line after the headline, becomes the ``description`` and
    stays in the text, as a lead paragraph does on pages (a standfirst the body restates goes as a
    duplicate).
    """
    rules = rules or Rules.default().compile(text=True)
    header = Header()
    first = next((i for i in range(len(lines)) if not taken[i]), None)
    if first is None:
        return header
    page_title, site = split_site(lines[first]) if title_like(lines[first]) else (None, None)
    header.site_name = site
    window = [i for i in range(max(0, body_start - HEADER_MAX_LINES), body_start) if not taken[i]]
    title_at = headline if headline in window else None
    if title_at is None and page_title and site:
        title_at = next((i for i in window if i != first and title_like(lines[i])
                         and _overlap(lines[i], page_title) >= TITLE_MATCH_SHARE
                         and _overlap(page_title, lines[i]) >= TITLE_MATCH_SHARE), None)
    if title_at is None and window and window[0] == first:
        body = lines[body_start : body_start + RESTATED_LINES]
        title_at = _first_headline(lines, window, body, rules)
    if title_at is not None:
        header.title = lines[title_at]
        header.removed[title_at] = "text.title"
    elif page_title and site:
        header.title = page_title
    standfirst_open = title_at is not None  # a standfirst follows the headline, bylines and dates aside
    for i in window:
        if i in header.removed:
            continue
        f = line_features(lines[i])
        byline = rules.match_byline(lines[i])
        if byline:
            header.authors += (byline[1],)
            header.removed[i] = byline[0]
        elif f.datey or (f.label and title_at is not None and i < title_at):
            header.removed[i] = "text.header"  # a dateline, a section label
        elif title_at is not None and i > title_at and standfirst_open:
            standfirst_open = False
            if STANDFIRST_MIN_WORDS <= f.words <= STANDFIRST_MAX_WORDS:
                header.description = lines[i]
                header.standfirst = i
    if site and first < body_start and first != title_at:
        header.removed[first] = "text.outside"  # the page's <title>
    return header
