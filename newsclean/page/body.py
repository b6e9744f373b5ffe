"""The article body: furniture pruned, the page normalised, the main content extracted.

newsclean's own extractor (:mod:`newsclean.page.native`) reads the pruned tree; when it
doubts its result, trafilatura (:mod:`newsclean.page.extract`) extracts instead, and the
body says which did and why. A safeguard backs the rules off when they leave too little:
the page is read again with only code removed, and that extraction is taken when it holds
much more text and newsclean's own extractor does not doubt it (trafilatura is not asked a
second time: on a page that was not pruned it returns the menus and listings too). A live
blog's entries (from its JSON-LD) replace the extraction when they hold at least half as many
words.

trafilatura is not linear in the paragraphs it is given, so they are bounded: its main
extractor slows down past tens of thousands (140,000 short paragraphs: minutes), so the
pruned page is cut after :data:`MAX_PARAGRAPH_TAGS` paragraph tags (``truncated``); and its
fallback justext is quadratic in a run of short paragraphs (it looks for each one's
nearest long neighbours: 6,000 in a row, 40 s), so a page whose runs would cost it more
than :data:`MAX_SHORT_RUN_WORK` is extracted without the fallbacks; a run of more than
:data:`MAX_RUN_TAGS` tags between two block tags (a paragraph's content, a ``<div>``'s) reaches it
as text (it reads such a run in time more than linear in its tags).

>>> from selectolax.lexbor import LexborHTMLParser
>>> from newsclean.rules import Rules
>>> page = ('<body><article><p>' + 'A storm hit the coast on Monday night. ' * 12 + '</p>'
...         '<div class="share-bar">Share on Facebook</div></article></body>')
>>> body = find_body(LexborHTMLParser(page), page, None, Rules.default(), None, Options())
>>> [b.kind for b in body.blocks], [r.rule for r in body.removed], body.safeguard, body.extractor
(['paragraph'], ['generic.token.share'], False, 'native')
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import islice

from selectolax.lexbor import LexborHTMLParser

from newsclean.article import Block, Removal
from newsclean.options import Options
from newsclean.page.extract import MIN_LIST_ITEMS, extract_blocks, without_head
from newsclean.page.limits import Deadline
from newsclean.page.metadata import Metadata
from newsclean.page.native import extract as extract_natively
from newsclean.page.normalize import cap_table_spans, math_to_text, wrap_loose_text
from newsclean.page.prune import prune, safe_prune
from newsclean.rules import Rules

__all__ = ["MAX_PARAGRAPH_TAGS", "MAX_RUN_TAGS", "MAX_SHORT_RUN_WORK", "Body", "find_body",
           "flatten_long_runs", "has_words", "live_blocks", "short_run_work", "word_count"]

MIN_WORDS = 40
"""Below this many words after pruning, the safeguard tries the page with only code removed."""

MAX_SHORT_RUN_WORK = 5_000_000
"""The sum over runs of short paragraphs of the run's length squared (justext's steps) above
which trafilatura runs without its fallbacks. Real pages reach 4 million; the three corpus
pages above it give the same blocks either way."""
MAX_PARAGRAPH_TAGS = 30_000
"""Paragraph tags (start and end) of the pruned page given to trafilatura; the rest is cut
(real pages: at most ~9,000)."""
MAX_RUN_TAGS = 5_000
"""Tags in one run of text and inline elements (between two block tags: a paragraph's content,
or a ``<div>``'s) of the pruned page given to trafilatura; past it the run keeps its text and
its ``<br>`` but no other tag. trafilatura reads such a run in time more than linear in its tags
(16,000 links in one paragraph: 16 s; 32,000 in one ``<div>``: 3.6 s); real pages reach ~3,800
(a story on Archive of Our Own written as one paragraph with a tag per line)."""
_SHORT = 300  # characters: a paragraph justext may walk past (short, or "near good")
# A tag that starts or ends a paragraph for justext.
_PARAGRAPH_TAG = re.compile(
    r"</?(?:blockquote|caption|center|col|colgroup|dd|div|dl|dt|fieldset|form|legend|optgroup|option|p|pre"
    r"|table|td|textarea|tfoot|th|thead|tr|ul|li|h[1-6])(?=[\s/>])(?:[^>\"']++|\"[^\"]*+\"|'[^']*+')*+>?",
    re.IGNORECASE,
)
_ANY_TAG = re.compile(r"""<(?:[^>"']++|"[^"]*+"|'[^']*+')*+>?""")
# Any tag but <br>.
_NOT_BR = re.compile(r"""<(?!br[\s/>])(?:[^>"']++|"[^"]*+"|'[^']*+')*+>?""", re.IGNORECASE)


@dataclass(frozen=True)
class Body:
    """What extraction found: the ``blocks``, the structural ``removed``, whether the
    ``safeguard`` stepped in, the ``tree`` after pruning and normalising, whether it was
    ``truncated`` (:data:`MAX_PARAGRAPH_TAGS`), which ``extractor`` gave the blocks
    (``"native"`` or ``"trafilatura"``) and, when trafilatura did, ``why`` the native result
    was doubted. :meth:`pruned_html` serialises the tree, once, when asked (most pages never
    need it: serialising costs a millisecond a page)."""

    blocks: tuple[Block, ...]
    removed: tuple[Removal, ...]
    safeguard: bool
    tree: LexborHTMLParser
    truncated: bool = False
    extractor: str = "native"
    why: str | None = None
    _serialised: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def pruned_html(self) -> str:
        """The pruned ``tree`` as HTML, serialised on first use."""
        return _serialise(self.tree, self._serialised)


def _serialise(tree: LexborHTMLParser, cache: dict[str, str]) -> str:
    """``tree.html``, kept in ``cache`` so that it is made at most once."""
    if "html" not in cache:
        cache["html"] = tree.html or ""
    return cache["html"]


def word_count(blocks: Sequence[Block]) -> int:
    """Whitespace-separated words in the blocks' text."""
    return sum(len(b.text.split()) for b in blocks)


def has_words(blocks: Sequence[Block], least: int) -> bool:
    """Whether the blocks hold at least ``least`` words, counted no further than that.

    >>> has_words([Block("paragraph", "one two"), Block("paragraph", "three four five")], 4)
    True
    """
    left = least
    for block in blocks:
        if left <= 0:
            break
        left -= len(block.text.split(None, left))  # at most left + 1 of its words
    return left <= 0


def short_run_work(html: str, paragraphs: int | None = None) -> int:
    """What justext's walk over ``html`` costs, from above: the sum over runs of paragraphs of
    under :data:`_SHORT` characters of the run's length squared. Linear time; a page with few
    paragraph tags (``paragraphs``, if counted already) is not split.

    >>> short_run_work("<p>x</p>" * 10)  # few paragraph tags: their count, squared
    400
    >>> short_run_work(("<p>Short.</p>" * 1500 + "<p>" + "Long " * 100 + "</p>") * 2)
    4500000
    """
    if paragraphs is None:
        paragraphs = len(_PARAGRAPH_TAG.findall(html))
    if paragraphs * paragraphs <= MAX_SHORT_RUN_WORK:
        return paragraphs * paragraphs
    work = run = 0
    for part in _PARAGRAPH_TAG.split(html):
        length = len(" ".join(_ANY_TAG.sub("", part).split()))
        if not length:  # no paragraph: justext keeps only those with text
            continue
        if length < _SHORT:
            run += 1
        else:
            work, run = work + run * run, 0
    return work + run * run


def _extract(html: str, url: str | None, options: Options, deadline: Deadline,
             lists: bool = True) -> tuple[tuple[Block, ...], bool]:
    """trafilatura's blocks for ``html`` within the bounds (``lists``: as
    :func:`~newsclean.page.extract.extract_blocks` takes it); and whether it was cut."""
    deadline.check("extraction")
    paragraphs = len(_PARAGRAPH_TAG.findall(html))
    cut = paragraphs > MAX_PARAGRAPH_TAGS
    if cut:
        last = next(islice(_PARAGRAPH_TAG.finditer(html), MAX_PARAGRAPH_TAGS, None))
        html, paragraphs = html[: last.start()], MAX_PARAGRAPH_TAGS
    html = flatten_long_runs(html)
    fallbacks = short_run_work(html, paragraphs) <= MAX_SHORT_RUN_WORK
    return extract_blocks(html, url, options, fallbacks=fallbacks, lists=lists), cut


def flatten_long_runs(html: str, most: int = MAX_RUN_TAGS) -> str:
    """``html`` with each run of more than ``most`` tags between two block tags (those that
    start or end a paragraph for justext) reduced to its text and ``<br>``. Linear time.

    >>> links = '<a href="/x">link</a> and ' * 3
    >>> flatten_long_runs(f'<p class="a">{links}<br>end</p><div><b>kept</b></div>', most=4)
    '<p class="a">link and link and link and <br>end</p><div><b>kept</b></div>'
    """
    if html.count("<") <= most:
        return html
    parts: list[str] = []
    kept = end = 0  # html[:kept] is in parts; the run starts at end
    for tag in (*_PARAGRAPH_TAG.finditer(html), None):
        start = len(html) if tag is None else tag.start()
        # a run of more than `most` tags is at least 3 * `most` characters long ("<a>" and text)
        if start - end > 3 * most and html.count("<", end, start) > most:
            parts += (html[kept:end], _NOT_BR.sub("", html[end:start]))
            kept = start
        if tag is not None:
            end = tag.end()
    return "".join(parts) + html[kept:] if parts else html


def find_body(tree: LexborHTMLParser, html: str, url: str | None, rules: Rules, site_name: str | None,
              options: Options, deadline: Deadline | None = None) -> Body:
    """Prune ``tree`` (changed in place), normalise it and extract its main content.
    ``html`` is the page the tree was parsed from, re-read by the safeguard."""
    deadline = deadline or Deadline(None)
    removed = prune(tree, rules.compile(url, site_name), deadline, url)
    math_to_text(tree)
    wrap_loose_text(tree)
    cap_table_spans(tree)
    serialised: dict[str, str] = {}
    blocks, cut, why = _content(tree, serialised, url, options, deadline)
    if has_words(blocks, MIN_WORDS):
        return Body(blocks, tuple(removed), False, tree, cut, *_source(why), serialised)
    fallback_tree = LexborHTMLParser(html)
    safe_removed = safe_prune(fallback_tree, rules.compile(url), deadline)
    math_to_text(fallback_tree)
    cap_table_spans(fallback_tree)
    fallback, fallback_cut, fallback_why = _content(fallback_tree, {}, url, options, deadline, ask=False)
    if word_count(fallback) > 2 * max(word_count(blocks), 10):
        return Body(fallback, tuple(safe_removed), True, tree, fallback_cut, *_source(fallback_why),
                    serialised)
    return Body(blocks, tuple(removed), False, tree, cut, *_source(why), serialised)


def _content(tree: LexborHTMLParser, serialised: dict[str, str], url: str | None, options: Options,
             deadline: Deadline, ask: bool = True) -> tuple[tuple[Block, ...], bool, str | None]:
    """The main content of the normalised ``tree``: the native extraction, or trafilatura's
    when the native one is doubtful (none when ``ask`` is false); whether it was cut, and why
    the native one was doubted (None when it was not). ``serialised`` caches the tree as HTML
    (:func:`_serialise`).

    The safeguard's reading does not ask: on the 33 wcxb-dev pages where the native extractor
    doubts it, trafilatura on the page with only code removed cost ~0.65 ms/page over the
    corpus (4-140 ms a page) and took listings for articles (without it: body P 0.8437 ->
    0.8450, R 0.8239 -> 0.8233, snippet P 0.9883 -> 0.9887, R 0.7599 -> 0.7588, leaky pages
    11 -> 10; the other three corpora unchanged)."""
    deadline.check("extraction")
    native = extract_natively(tree, url=url, favor=options.favor, include_tables=options.include_tables)
    if not native.doubtful:
        return native.blocks, False, None
    if not ask:
        return (), False, native.why
    # trafilatura's own extraction runs a second time only to keep a post written as lists,
    # whose lists the native blocks show (asked only then, no corpus page changed, and half
    # of those second runs on wcxb-dev went)
    lists = sum(b.kind == "list_item" for b in native.blocks) >= MIN_LIST_ITEMS
    blocks, cut = _extract(without_head(tree, _serialise(tree, serialised)), url, options, deadline, lists)
    return blocks, cut, native.why


def _source(why: str | None) -> tuple[str, str | None]:
    return ("native", None) if why is None else ("trafilatura", why)


def live_blocks(meta: Metadata) -> list[Block]:
    """A live blog's entries as blocks: each entry's headline (unless its text holds it) and text."""
    out: list[Block] = []
    for entry in meta.live_entries:
        if entry.headline and entry.headline not in entry.text:
            out.append(Block("heading", entry.headline, level=3, time=entry.time))
        out.append(Block("entry", entry.text, time=entry.time))
    return out
