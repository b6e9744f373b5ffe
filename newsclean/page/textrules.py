"""Text rules: drop furniture that survived extraction, block by block.

Works on :class:`~newsclean.Block` lists from a page, or on the lines of text that
another tool extracted (``clean_text``). Rules, in order:

1. furniture lines (``line`` rules) and widget headings (``heading`` rules), with the
   teaser list items a widget heading introduces;
2. credits (``credit`` rules), including the site's own name standing alone, which
   the page's metadata or its "More from <site>" headings reveal;
3. a caption or video title directly before a credit (``text.caption``);
4. a block that repeats, or is contained in, another (``text.duplicate``); a short repeat that
   stands between other neighbours each time (an interview's question, a product's bullet) is
   structure, and stays;
5. among the last :data:`CLOSING_BLOCKS` blocks, a paragraph holding a ``notice`` (a
   like-share-subscribe appeal, a discount code, an adviser's disclaimer): the site's closing
   note, not the article's.

``clean_text`` (text mode, :mod:`newsclean.page.textmode`) uses the same steps, one by one:
:func:`mark_furniture`, :func:`mark_duplicates`, :func:`mark_captions`.

>>> from newsclean.article import Block
>>> blocks = [Block("paragraph", t) for t in [
...     "Storm hits the coast", "Getty", "The storm hit the coast on Monday night.",
...     "Most Read", "Officials said repairs will take weeks."]]
>>> kept, removed = apply_text_rules(blocks, Rules.default())
>>> [b.text for b in kept]
['The storm hit the coast on Monday night.', 'Officials said repairs will take weeks.']
>>> [(r.rule, r.text) for r in removed]  # doctest: +NORMALIZE_WHITESPACE
[('text.caption', 'Storm hits the coast'), ('generic.credit.agency', 'Getty'),
 ('generic.heading.most-read', 'Most Read')]
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from itertools import pairwise

from newsclean.article import Block, Removal
from newsclean.page.credits import carries_credit, ends_in_credit
from newsclean.page.limits import Deadline
from newsclean.page.strings import more_words
from newsclean.rules import CompiledRules, Rules

__all__ = [
    "CLOSING_BLOCKS", "MAX_STRUCTURAL_REPEATS", "STRUCTURAL_MAX_TOKENS", "apply_text_rules", "compile_for",
    "filter_lines", "is_caption_like", "mark_captions", "mark_closing", "mark_duplicates", "mark_furniture",
    "merge_split_paragraphs",
    "strip_lead", "strip_title_repeats", "tokens",
]

_WORD = re.compile(r"\w+")
_TERMINAL = tuple('.!?…"”’\')»:;')
_MAX_HEADING_WORDS = 12
_MAX_KICKER = 4  # words a headline's kicker ("Wattenmeer:", "Premium Consumer affairs") may have
_MIN_DUP_TOKENS = 6
_MAX_POSTINGS = 64  # a bigram in more blocks than this says nothing about duplication
STRUCTURAL_MAX_TOKENS = 20
"""A repeat can be structure (see :func:`_structural`) only when it has at most this many tokens
(a question, a bullet, a sub-head; a repeated paragraph is a copy) ..."""
MAX_STRUCTURAL_REPEATS = 12
"""... and occurs at most this many times (which also bounds the work: linear time)."""
_RESTATED_WINDOW = 3  # text mode: a caption follows the paragraph restating it within this many blocks
_SUBHEAD_BODY_TOKENS = 15  # a repeated sub-head stands over a paragraph of at least this many tokens
_MIN_TITLE_TOKENS = 4  # a shorter title may be a phrase the body uses as a subheading
CLOSING_BLOCKS = 3
"""A paragraph holding a ``notice`` goes only when it is one of the body's last this many blocks."""


def tokens(text: str) -> list[str]:
    """Lower-case word tokens (``\\w+`` runs).

    >>> tokens("Vučić said: 'No, gentlemen.'")
    ['vučić', 'said', 'no', 'gentlemen']
    """
    return _WORD.findall(text.lower())


def is_caption_like(text: str) -> bool:
    """A line that reads like a caption or video title: no final punctuation, or a credit tail.

    >>> is_caption_like("Serbian people attend a pro-Vucic rally last month")
    True
    >>> is_caption_like("Thousands of Serbians have joined a march.")
    False
    """
    text = text.strip()
    if not text or more_words(text, 80):
        return False
    return not text.endswith(_TERMINAL) or ends_in_credit(text)


def _captioned(text: str) -> bool:
    """A caption carrying its own credit: "Crowds in Belgrade. Photo: AP".

    >>> _captioned("Crowds gather in Belgrade on Sunday. Photo: Jane Roe/AFP")
    True
    >>> _captioned("The agency said the photo: was fake, and withdrew it from sale.")
    False
    """
    return not more_words(text, 60) and carries_credit(text)


def _site_from_headings(blocks: Sequence[Block], rules: CompiledRules) -> str | None:
    found = Counter(
        site
        for block in blocks
        if not more_words(block.text, _MAX_HEADING_WORDS)
        for site in [rules.heading_site(block.text)]
        if site
    )
    return found.most_common(1)[0][0] if found else None


def _headline_like(text: str) -> bool:
    """Six words or more, starting in upper case, no sentence punctuation at the end, no "key: value".

    >>> _headline_like("Flooding closes the bypass again on Monday"), _headline_like("What do you read?")
    (True, False)
    """
    text = text.strip()
    return (more_words(text, 5) and text[:1].isupper() and not text.endswith((*_TERMINAL, "?"))
            and ": " not in text)


def _structural(i: int, seen: Sequence[int], keys: Sequence[str], lengths: Sequence[int],
                counts: Counter[str], headline_like: bool) -> bool:
    """Whether the repeat at ``i`` of the blocks at ``seen`` is structure, not furniture: short, apart
    from its last occurrence, and alternating with different content - at every occurrence the blocks
    before and after it occur nowhere else (an interview's question before each answer, a product's
    "Battery: up to 10 hours" between its other bullets). A repeat beside another repeat is part of a
    repeated *sequence* - a menu, a teaser list in two boxes, a caption and its credit, a copied
    article: furniture. A headline-like repeat is structure only as a sub-head over a paragraph each
    time; a teaser headline in two lists of other stories is furniture.

    >>> keys = ["intro", "what do you read", "answer one", "what do you read", "answer two"]
    >>> _structural(3, [1], keys, [1, 4, 2, 4, 2], Counter(keys), False)
    True
    >>> keys[4] = "answer one"
    >>> _structural(3, [1], keys, [1, 4, 2, 4, 2], Counter(keys), False)
    False
    """
    if lengths[i] > STRUCTURAL_MAX_TOKENS or i - seen[-1] < 2:
        return False
    for j in (*seen, i):
        if (j and counts[keys[j - 1]] > 1) or (j + 1 < len(keys) and counts[keys[j + 1]] > 1):
            return False
        body = lengths[j + 1] if j + 1 < len(keys) else 0
        if headline_like and body < max(2 * lengths[i], _SUBHEAD_BODY_TOKENS):
            return False
    return True


def mark_duplicates(blocks: Sequence[Block], gone: list[Removal | None], *,
                    restated_before: int | None = None) -> None:
    """Mark exact repeats (but not structural ones, see :func:`_structural`), and caption-like
    blocks restated inside another block. Linear in the number of blocks.

    Text mode passes the article's first paragraph as ``restated_before``: from there on, a
    caption-like block goes only when a longer block at most ``_RESTATED_WINDOW`` blocks *before*
    it restates it (a caption or pull quote after its paragraph). In leaked text a sub-head ("How
    the banana came to Europe") reads like a caption, and the paragraph under it restates its
    words; on a page a sub-head is a heading block, which this check never takes. In the header,
    a line the body restates is a standfirst or a caption, and goes.

    >>> question, answer = "What do you read on holiday?", "Crime novels, mostly, and lots of them."
    >>> blocks = [Block("paragraph", t) for t in (question, answer, question, "History, always.")]
    >>> gone: list[Removal | None] = [None] * 4
    >>> mark_duplicates(blocks, gone); gone
    [None, None, None, None]
    """
    words = [tokens(b.text) for b in blocks]
    texts = [" " + " ".join(w) + " " for w in words]
    lengths = [len(w) for w in words]
    seen: dict[str, list[int]] = {}
    counts = Counter(texts)
    for i, block in enumerate(blocks):  # exact repeats first: linear, however many there are
        usable = gone[i] is None and lengths[i] >= _MIN_DUP_TOKENS and block.kind not in ("table", "code")
        if not usable:
            continue
        earlier = seen.setdefault(texts[i], [])
        if not earlier or (len(earlier) < MAX_STRUCTURAL_REPEATS and _structural(
                i, earlier, texts, lengths, counts, _headline_like(block.text))):
            earlier.append(i)
        else:
            gone[i] = Removal("text.duplicate", "duplicate", block.text)
    # Every block left is unique or a structural repeat: it can only go as a caption restated in
    # a longer block.
    captions = [
        i for i, block in enumerate(blocks)
        if gone[i] is None and lengths[i] >= _MIN_DUP_TOKENS and len(seen.get(texts[i], ())) < 2
        and block.kind not in ("table", "code", "heading", "list_item") and is_caption_like(block.text)
    ]
    if not captions:
        return
    bigrams = {i: set(pairwise(words[i])) for i in captions}
    wanted = set().union(*bigrams.values())  # the only bigrams looked up
    index: dict[tuple[str, str], list[int]] = {}
    for i, block_words in enumerate(words):
        if gone[i] is None and blocks[i].kind not in ("table", "code"):
            # the block's bigrams that a caption holds, no set of all of them built
            for gram in wanted.intersection(pairwise(block_words)):
                index.setdefault(gram, []).append(i)
    for i in captions:
        postings = (index.get(gram, ()) for gram in bigrams[i])
        overlap = Counter(j for found in postings if len(found) <= _MAX_POSTINGS for j in found if j != i)
        for j, shared in overlap.most_common(3):
            if gone[j] is not None:
                continue
            longer = lengths[j] > lengths[i] or (lengths[j] == lengths[i] and j < i)
            if restated_before is not None and i >= restated_before and not (
                    i - _RESTATED_WINDOW <= j < i and lengths[j] > lengths[i]):
                continue  # a sub-head over the paragraph that restates it, a list's near-twin item
            if longer and (texts[i] in texts[j] or shared >= 0.8 * len(bigrams[i])):
                gone[i] = Removal("text.duplicate", "duplicate", blocks[i].text)
                break


def filter_lines(block: Block, rules: CompiledRules, removed: list[Removal]) -> Block:
    """Drop furniture lines inside a multi-line block (lines broken by ``<br>``)."""
    if "\n" not in block.text or block.kind in ("table", "code"):
        return block
    kept = []
    for line in block.text.split("\n"):
        found = rules.match_furniture(line, heading=False)
        if found and line.strip():
            removed.append(Removal(found[0], "line", line))
        else:
            kept.append(line)
    if len(kept) == len(block.text.split("\n")):
        return block
    return replace(block, text="\n".join(kept))


def compile_for(blocks: Sequence[Block], rules: Rules, url: str | None = None, *site_names: str | None,
                text: bool = False) -> CompiledRules:
    """The rules for ``url`` and the site's names, plus a name the blocks' widget headings reveal
    ("More from GB News"); ``text``: for text mode (the ``text_only`` packs too)."""
    compiled = rules.compile(url, *site_names, text=text)
    learned = _site_from_headings(blocks, compiled)
    if learned and learned not in compiled.site_names:
        compiled = rules.compile(url, *site_names, learned, text=text)
    return compiled


def mark_furniture(blocks: Sequence[Block], compiled: CompiledRules, deadline: Deadline | None = None,
                   url: str | None = None) -> list[Removal | None]:
    """Per block, the removal a ``line``, ``heading`` or ``credit`` rule calls for (or a caption
    carrying its own credit, or a widget's list items), or None. A multi-line block is taken
    whole: filter its lines first (:func:`filter_lines`)."""
    deadline = deadline or Deadline(None)
    gone: list[Removal | None] = [None] * len(blocks)
    in_widget = False
    for i, block in enumerate(blocks):
        if not i % 512:
            deadline.check("text rules")
        text = block.text
        if block.kind in ("table", "code"):
            in_widget = False
            continue
        if in_widget and block.kind == "list_item":
            gone[i] = Removal("text.widget-items", "widget", text)
            continue
        in_widget = False
        if len(text) > 300:
            continue
        if _is_url_line(text, url):
            gone[i] = Removal("text.url", "line", text)
            continue
        found = compiled.match_furniture(text, heading=not more_words(text, _MAX_HEADING_WORDS))
        if found:
            gone[i] = Removal(found[0], found[1], text)
            in_widget = found[1] == "heading"
        elif block.kind == "paragraph" and _captioned(text):
            gone[i] = Removal("text.caption", "caption", text)
    return gone


def mark_closing(blocks: Sequence[Block], gone: list[Removal | None], compiled: CompiledRules) -> None:
    """Among the last :data:`CLOSING_BLOCKS` blocks, a paragraph or quote holding a ``notice``
    goes, as that rule: a closing note is found inside a paragraph, but only at the end.

    >>> from newsclean.article import Block
    >>> blocks = [Block("paragraph", "The ferry sailed at noon."),
    ...           Block("paragraph", "Harbour Notes is a production of Quay Media. If you liked this, "
    ...                              "please consider sharing it with a friend.")]
    >>> gone: list[Removal | None] = [None, None]
    >>> mark_closing(blocks, gone, Rules.default().compile())
    >>> [g.rule if g else None for g in gone]
    [None, 'generic.notice.closing']
    """
    for i in range(max(0, len(blocks) - CLOSING_BLOCKS), len(blocks)):
        block = blocks[i]
        if gone[i] is not None or block.kind not in ("paragraph", "quote"):
            continue
        if rule := compiled.match_notice(block.text):
            gone[i] = Removal(rule, "notice", block.text)


def mark_captions(blocks: Sequence[Block], gone: list[Removal | None]) -> None:
    """The block right before a credit goes (``text.caption``) when it reads like a caption or a
    video title, or was already a duplicate."""
    for i, removal in enumerate(gone):
        if removal is None or removal.kind != "credit":
            continue
        j = i - 1
        if j >= 0 and blocks[j].kind in ("paragraph", "quote", "heading"):
            previous = gone[j]
            if (previous is None and is_caption_like(blocks[j].text)) or (
                previous is not None and previous.kind == "duplicate"
            ):
                gone[j] = Removal("text.caption", "caption", blocks[j].text)


def apply_text_rules(
    blocks: Sequence[Block],
    rules: Rules,
    *,
    url: str | None = None,
    site_name: str | None = None,
    deadline: Deadline | None = None,
) -> tuple[list[Block], list[Removal]]:
    """Apply the text rules; return the blocks kept and the removals, in order. Linear time;
    ``deadline`` is checked as they go."""
    deadline = deadline or Deadline(None)
    compiled = compile_for(blocks, rules, url, site_name)
    line_removed: list[Removal] = []
    blocks = [filter_lines(b, compiled, line_removed) for b in blocks]
    gone = mark_furniture(blocks, compiled, deadline, url)
    deadline.check("text rules")
    mark_duplicates(blocks, gone)
    deadline.check("text rules")
    mark_captions(blocks, gone)
    mark_closing(blocks, gone, compiled)
    kept = [b for b, g in zip(blocks, gone, strict=True) if g is None and b.text.strip()]
    return merge_split_paragraphs(kept), line_removed + [g for g in gone if g is not None]


def merge_split_paragraphs(blocks: Sequence[Block]) -> list[Block]:
    """Join a paragraph that an ad slot or a teaser box cut in two: the first part ends
    mid-sentence and the second starts in lower case. Linear time, however many parts join.

    >>> parts = [Block("paragraph", "The mayor said the budget would"),
    ...          Block("paragraph", "rise by four percent next year.")]
    >>> [b.text for b in merge_split_paragraphs(parts)]
    ['The mayor said the budget would rise by four percent next year.']
    """
    out: list[Block] = []
    parts: list[str] = []  # the texts joined into out[-1] so far, when it is a paragraph
    words = 0  # how many words they hold (each text's counted up to 5: only "4 or more?" is asked)
    for block in blocks:
        if (
            parts
            and block.kind == "paragraph"
            and words >= 4
            and not parts[-1].rstrip().endswith((*_TERMINAL, ",", "-", "–", "—"))
            and block.text[:1].islower()
        ):
            parts[-1] = parts[-1].rstrip()
            parts.append(" " + block.text.lstrip())
            words += len(block.text.split(None, 4))
            continue
        _flush(out, parts)
        out.append(block)
        parts = [block.text.rstrip()] if block.kind == "paragraph" else []
        words = len(block.text.split(None, 4)) if parts else 0
    _flush(out, parts)
    return out


def _flush(out: list[Block], parts: list[str]) -> None:
    """Give ``out[-1]`` the text of the ``parts`` joined into it, if more than its own."""
    if len(parts) > 1:
        out[-1] = replace(out[-1], text="".join(parts))


def strip_lead(blocks: Sequence[Block], title: str | None, description: str | None,
               removed: list[Removal]) -> list[Block]:
    """Drop a leading repeat of the title (``text.title``; a heading may put a kicker of up
    to :data:`_MAX_KICKER` words before it), and a leading heading that is the standfirst
    (``text.standfirst``: it goes to ``description``); append what went to ``removed``.

    >>> gone: list[Removal] = []
    >>> blocks = [Block("heading", "Storm hits coast"), Block("paragraph", "Waves rose.")]
    >>> [b.text for b in strip_lead(blocks, "Storm hits coast", None, gone)], gone[0].rule
    (['Waves rose.'], 'text.title')
    >>> [b.text for b in strip_lead([Block("heading", "Weather: Storm hits coast"), *blocks[1:]],
    ...                             "Storm hits coast", None, gone)]
    ['Waves rose.']
    """
    title_tokens = tokens(title or "")
    desc_tokens = tokens(description or "")
    kept = list(blocks)
    while kept and kept[0].kind in ("heading", "paragraph"):
        head = tokens(kept[0].text)
        kicker = len(head) - len(title_tokens)
        if title_tokens and (head == title_tokens or (
                kept[0].kind == "heading" and 0 < kicker <= _MAX_KICKER and head[kicker:] == title_tokens)):
            removed.append(Removal("text.title", "title", kept[0].text))
        elif kept[0].kind == "heading" and desc_tokens and len(head) >= 5 and (
                head == desc_tokens or " ".join(head) in " ".join(desc_tokens)):
            removed.append(Removal("text.standfirst", "standfirst", kept[0].text))
        else:
            break
        kept = kept[1:]
    return kept


def strip_title_repeats(blocks: Sequence[Block], title: str | None, removed: list[Removal]) -> list[Block]:
    """Drop a heading or paragraph that is the title again after the body, with no prose after
    it (``text.title``): a share box, a "you were reading" line or a print footer repeating it;
    append what went to ``removed``. A repeat inside the body (a recipe card's or a product
    box's heading) stays, and so do titles shorter than :data:`_MIN_TITLE_TOKENS` words.

    >>> gone: list[Removal] = []
    >>> blocks = [Block("paragraph", "Waves rose over the pier."),
    ...           Block("paragraph", "Repairs will take weeks."), Block("heading", "Storm hits the coast")]
    >>> [b.text for b in strip_title_repeats(blocks, "Storm Hits the Coast", gone)], gone[0].rule
    (['Waves rose over the pier.', 'Repairs will take weeks.'], 'text.title')
    >>> len(strip_title_repeats([blocks[2], *blocks[:2]], "Storm Hits the Coast", gone))
    3
    """
    wanted = tokens(title or "")
    if len(wanted) < _MIN_TITLE_TOKENS:
        return list(blocks)
    kept = list(blocks)
    for i in range(len(kept) - 1, 0, -1):
        block = kept[i]
        if block.kind in ("heading", "paragraph") and len(block.text) < 4 * len(title or "") and \
                tokens(block.text) == wanted:
            removed.append(Removal("text.title", "title", block.text))
            del kept[i]
        elif block.kind != "heading" and more_words(block.text, _MAX_HEADING_WORDS):
            break  # prose: what comes before it is the body
    return kept


def _is_url_line(text: str, url: str | None) -> bool:
    """Whether ``text`` is the page's own address (with or without scheme, ``www.`` or final slash).

    >>> _is_url_line("www.example.com/news/storm/", "https://example.com/news/storm")
    True
    >>> _is_url_line("Read example.com/news/storm", "https://example.com/news/storm")
    False
    """
    if not url or len(text) > 2 * len(url) + 20:
        return False
    return _bare_url(text) == _bare_url(url)


def _bare_url(text: str) -> str:
    text = text.strip().lower()
    for prefix in ("https://", "http://"):
        text = text.removeprefix(prefix)
    return text.removeprefix("www.").rstrip("/")
