"""Main-content extraction on the pruned Lexbor tree, without serialising or re-parsing it.

One walk of the page's ``<body>`` turns every text-bearing element into a candidate block
(paragraph, heading, list item, quote, code, table: the kinds ``extract.py`` makes of
trafilatura's output) and records, for every element on the way (a *frame*), how much prose
and how much link text lies under it and what its class and id say it is. Furniture is then
dropped (comment sections, boxes named as furniture, lists of links); the article container is
the box whose blocks weigh most (prose counts for it, link text against it), preferring the
element the page names as its article body, and widened to its siblings and cousins of the same
class when the body is split around ads; its blocks, less stray fragments and headings that introduce
nothing, are the article, in document order.

:func:`extract` also says when its result is doubtful -- too little text, most of the page's
prose outside the container, a list under a generic container, no prose at all -- and the
caller then asks trafilatura instead (:mod:`newsclean.page.body`). The thresholds were
calibrated on the four shared corpora against newsclean's trafilatura path: the smallest
share of pages sent to trafilatura that kept F1, precision and recall within 0.002 of it.

>>> from selectolax.lexbor import LexborHTMLParser
>>> page = ('<body><nav><a href="/">Home</a></nav><div class="story"><h2>Why</h2>'
...         + '<p>' + 'The harbour council met again on Tuesday, and argued. ' * 6 + '</p>'
...         + '<p>Second line<br>with a break, and more words to read here.</p>'
...         + '<ul><li>One point</li><li>Another point</li></ul></div>'
...         + '<div class="links"><a href="/a">Other story one</a> <a href="/b">Other two</a></div></body>')
>>> result = extract(LexborHTMLParser(page))
>>> [b.kind for b in result.blocks], result.doubtful
(['heading', 'paragraph', 'paragraph', 'list_item', 'list_item'], False)
>>> result.blocks[2].text
'Second line\\nwith a break, and more words to read here.'
>>> extract(LexborHTMLParser("<body><p>A single sentence is all this page has to say.</p></body>")).why
'little text (46 characters)'
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser, LexborNode

from newsclean.anchors import Gate
from newsclean.article import Block
from newsclean.options import Favor
from newsclean.page.strings import more_words

__all__ = ["MAX_WALK_DEPTH", "Extraction", "extract"]


@dataclass(frozen=True)
class Extraction:
    """The article's blocks, and whether the caller should rather ask trafilatura.

    ``why`` is the reason for doubt, or names the container chosen; ``stats`` holds the
    measurements behind the decision (characters kept, share of the page's prose inside the
    container, ...), for diagnostics.
    """

    blocks: tuple[Block, ...]
    doubtful: bool
    why: str
    stats: dict[str, float] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class _Settings:
    """The thresholds that ``favor`` shifts, as trafilatura's switches do."""

    tolerance: float  # share of the best score a deeper container may lose
    min_loose: int  # characters a run of loose lines (text with <br>, no <p>) needs to be kept
    loose_long: int  # characters a single loose run needs to be kept
    link_ratio: float  # link density above which a block weighs against its container
    min_chars: int  # below this many characters the result is doubtful
    min_coverage: float  # share of the page's prose the container must hold, or it is doubtful
    hint_share: float  # share of the best score an element named as the article body must hold
    furniture: int  # which kinds of furniture names are dropped (flags below)
    edges: int  # blocks after the last one this long go: notes, prompts, credits (0: none)
    strict_headings: bool  # a heading must introduce something kept, and not be a link


# Furniture flags of a frame: named as furniture, as comments, as a teaser, as page-bottom or link
# boxes (precision only), and the <nav>/<aside>/<footer> the structural rules left in place.
_NAMED, _COMMENT, _TEASED, _STRICT, _TAG, _FORM = 1, 2, 4, 8, 16, 32

_SETTINGS = {
    "balanced": _Settings(0.03, 40, 150, 0.5, 250, 0.4, 0.6, _NAMED | _TEASED, 0, True),
    "precision": _Settings(0.015, 60, 300, 0.4, 250, 0.5, 0.6, _NAMED | _TEASED | _STRICT, 80, True),
    "recall": _Settings(0.06, 25, 40, 0.6, 250, 0.4, 0.6, _NAMED, 0, False),
}

# ----------------------------------------------------------------------------- tag classes

# Never text: the whole subtree is skipped (trafilatura drops the same elements).
_SKIP = frozenset({
    "script", "style", "template", "svg", "canvas", "iframe", "object", "embed", "video", "audio", "picture",
    "source", "track", "map", "area", "img", "input", "button", "select", "option", "optgroup", "textarea",
    "label", "figure", "figcaption", "time", "dialog", "menuitem", "noindex", "head", "title", "meta", "link",
    "base", "fieldset", "legend", "datalist", "output", "progress", "meter", "rp", "rt", "rtc", "marquee",
    "frame", "frameset", "applet", "param", "math", "fencedframe", "hr", "_comment", "!doctype",
})
_INLINE = frozenset({
    "a", "abbr", "acronym", "b", "bdi", "bdo", "big", "cite", "code", "data", "del", "dfn", "em", "font", "i",
    "ins", "kbd", "mark", "nobr", "q", "ruby", "rb", "s", "samp", "small", "span", "strike", "strong", "sub",
    "sup", "tt", "u", "var", "wbr", "address", "hgroup",
})
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_LISTS = frozenset({"ul", "ol", "dl"})
_CELLS = frozenset({"td", "th"})
# Not a container: a container's content (a paragraph, a list, a table...) is not a box.
_NOT_BOXES = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "pre", "blockquote", "ul",
                        "ol", "dl", "caption", "table"})
_CODE_HINTS = ("{", '("', "('", "\n    ")  # a <pre> holding these is code (trafilatura's test)
MAX_WALK_DEPTH = 250
"""Elements the walk follows one inside another: deeper, it raises RecursionError and
``clean()`` flattens the page and cleans it again. A fixed number, not Python's recursion limit
(three frames a level: ~330 levels from the top of a program, fewer when ``clean()`` is called
deep in one), so that the same page gives the same Article wherever it is called from."""
_BREAK = "\x00"  # a line break inside a block (<br>, or a block inside a list item or quote)

# Modes of the run of inline text being collected.
_PARA, _HEAD, _ITEM, _QUOTE, _CODE, _LOOSE = range(6)
_KIND = {_PARA: "paragraph", _HEAD: "heading", _ITEM: "list_item", _QUOTE: "quote", _CODE: "code",
         _LOOSE: "paragraph"}
_NESTED = (_HEAD, _ITEM, _QUOTE)  # modes in which a nested block is one more line of the same block

# ---------------------------------------------------------------------- names of elements

_FURNITURE_TAGS = frozenset({"nav", "aside", "footer", "menu"})
_NAMED_TAGS = frozenset({"div", "section", "article", "main", "ul", "ol", "dl", "li", "p", "header", "form",
                         "table", "center", "dd", "dt"})
# Names are judged word by word (a class attribute's whitespace-separated words, or an id): the
# words repeat across pages far more than whole attributes do, so their verdicts are cached.
_HINTS: tuple[tuple[int, re.Pattern[str], re.Pattern[str]], ...] = (
    # (tier, pattern on a lower-cased class word, pattern on a lower-cased id); 2 is <article>
    (1, re.compile(r"(?:entry|article|art|post|text)[-_]?content|article(?:-|__)?(?:body|text)|articlebody"
                   r"|post[-_]?(?:text|body|entry)|post_inner_wrapper|body-?text|article__container"),
     re.compile(r"(?:entry|article|art)-content|article(?:-|__)?body|articlecontent|body-text")),
    (3, re.compile(r"story-?(?:content|body)|(?:theme|blog|section|single)-content|single-post|main-column"
                   r"|wpb_text_column|field-body|post-bodycopy|fulltext|^(?:article|postarea|text|story)$"),
     re.compile(r"^(?:article|story)$|^primary|story-body")),
    (4, re.compile(r"^(?:content|post|entry)$|content[-_](?:main|body)|main-content|page-content"
                   r"|contentbody"),
     re.compile(r"^content$|content[-_]?(?:main|body)|main-content")),
    (5, re.compile(r"^main"), re.compile(r"^main")),
)
# Furniture, case-sensitive as written (``tagStyle`` is no tag list): share bars, newsletter boxes,
# tag lists, sidebars, bylines, menus, ad slots, widgets, related links, meta lines, slide shows,
# hidden and print-only boxes.
_FURNITURE_CLASS = re.compile(
    r"^shar|[Ss]hare-|social|viral|sociable|newsletter|syndication|tags|tag-list|sidebar|banner|bread-?crumb"
    r"|button|author|[Bb]yline|^(?:nav|post-nav)|subnav|avigation|navbar|navbox|menu|bar|^ad$|-ad-|^ad-"
    r"|dfp[Aa]d|outbrain|taboola|criteo|paid-?content|widget|[Ff]ooter|embed|consent|modal-content"
    r"|permission|elated|next-|-stories|most-popular|more-on|meta|rating|attachment|timestamp|user-info"
    r"|user-profile|-icon|article-infos|message|slide|viewport|overlay|options|expand|obfuscated|blurred"
    r"|^hid(?:e|den)$|^hide-|-hide-|hide-print|noprint|notloaded|akismet|suggest-links|reply-")
_FURNITURE_ID = re.compile(
    r"^shar|social|viral|newsletter|syndication|tags|sidebar|banner|bread-?crumb|button|author|[Ff]ooter"
    r"|[Ss]hare|[Nn]av|menu|related|message-container|premium|^ad-|hidden|akismet|^(?:jp-|dpsp-content)")
# Comment sections (``comment-list``, ``MtnCommentText``, ``disqus_thread``, WordPress's ``respond``,
# reply threads), not an article that ``has-comments`` nor a page's state (``comments-open``).
_COMMENTS = re.compile(
    r"(?<!has-)(?<!no-)[Cc]omment(?!ary|ed$|s?[-_](?:open|closed|status|count|number|page|enabled)\b)"
    r"|disqus|^respond$|^(?:js_)?replies|^wpdiscuz")
# A box holding an embedded post (a tweet, an Instagram post): a quote in the article, whatever
# "social" or "embed" in its name would say.
_EMBEDDED_POST = re.compile(r"(?=.*embed).*(?:social|tweet|twitter|instagram|tiktok|bluesky|mastodon"
                            r"|threads|facebook|wp-block-embed)")
_TEASER = re.compile(r"[Tt]easer")  # furniture unless favor="recall" (a lead is put back by standfirst.py)
_PRECISION = re.compile(r"^(?:bottom|link)$|^bottom-|-bottom$")  # furniture with favor="precision"
_FORUM = re.compile(r'"@type"\s*:\s*(?:"DiscussionForumPosting"|\[[^\]]*"DiscussionForumPosting")')


def _judge_word(word: str, is_id: bool) -> tuple[int, int]:
    """(hint tier, furniture flags) of one word of a class, or of an id.

    >>> [_judge_word(w, False) for w in ("entry-content", "sharedaddy", "comment-list", "row")]
    [(1, 0), (0, 1), (0, 2), (0, 0)]
    >>> [_judge_word(w, False) for w in ("social-media-embed", "wp-block-embed", "video-embed")]
    [(0, 0), (0, 0), (0, 1)]
    """
    lower = word.lower()
    # only the patterns whose words the word holds can match (most words hold none of them)
    may = set(_WORD_GATE.candidates(word))
    if _EMBEDDED in may and _EMBEDDED_POST.match(lower):
        return 0, 0
    hints = _ID_HINTS if is_id else _CLASS_HINTS
    hint = next((tier for tier, place, pattern in hints if place in may and pattern.search(lower)), 0)
    furniture = 0
    if _NAMED_COMMENTS in may and _COMMENTS.search(word):
        furniture |= _COMMENT
    named = _NAMED_ID if is_id else _NAMED_CLASS
    if named in may and (_FURNITURE_ID if is_id else _FURNITURE_CLASS).search(word):
        furniture |= _NAMED
    if _NAMED_TEASER in may and _TEASER.search(word):
        furniture |= _TEASED
    if not is_id and _NAMED_PRECISION in may and _PRECISION.search(lower):
        furniture |= _STRICT
    return hint, furniture


# The word patterns above, in one gate (case ignored: a necessary condition for those that
# heed it), and each one's place in it.
_WORD_PATTERNS = (_EMBEDDED_POST, _COMMENTS, _FURNITURE_CLASS, _FURNITURE_ID, _TEASER, _PRECISION,
                  *(by_class for _, by_class, _ in _HINTS), *(by_id for _, _, by_id in _HINTS))
_EMBEDDED, _NAMED_COMMENTS, _NAMED_CLASS, _NAMED_ID, _NAMED_TEASER, _NAMED_PRECISION = range(6)
_CLASS_HINTS = tuple((tier, 6 + i, by_class) for i, (tier, by_class, _) in enumerate(_HINTS))
_ID_HINTS = tuple((tier, 6 + len(_HINTS) + i, by_id) for i, (tier, _, by_id) in enumerate(_HINTS))
_WORD_GATE = Gate([re.compile(p.pattern, re.IGNORECASE) for p in _WORD_PATTERNS])


# What _judge_word said of the words met so far, class words and ids apart, packed as
# ``hint << 8 | flags``: a dict of strings to integers, which the garbage collector never
# tracks, where an ``lru_cache``'s entries are objects it tracks (in a batch, 45,000 of them
# made each full collection ~8 ms longer). Emptied when full.
_JUDGED: tuple[dict[str, int], dict[str, int]] = ({}, {})
_JUDGED_MAX = 1 << 16


def _judged(word: str, is_id: bool) -> int:
    """:func:`_judge_word`'s verdict on ``word``, packed, remembered."""
    known = _JUDGED[is_id]
    verdict = known.get(word)
    if verdict is None:
        if len(known) >= _JUDGED_MAX:
            known.clear()
        hint, furniture = _judge_word(word, is_id)
        verdict = known[word] = hint << 8 | furniture
    return verdict


def _judge_name(cls: str, ident: str) -> tuple[int, int]:
    """(hint tier, furniture flags) of a class attribute and an id: the surest hint of their
    words, all their furniture flags."""
    hint = packed = 0
    words = _JUDGED[False]
    for word in cls.split():
        verdict = words.get(word)
        if verdict is None:
            verdict = _judged(word, False)
        if verdict >> 8 and (not hint or verdict >> 8 < hint):
            hint = verdict >> 8
        packed |= verdict
    if ident:
        verdict = _JUDGED[True].get(ident)
        if verdict is None:
            verdict = _judged(ident, True)
        if verdict >> 8 and (not hint or verdict >> 8 < hint):
            hint = verdict >> 8
        packed |= verdict
    return hint, packed & 0xFF  # the flags of every word (the hints' bits above them dropped)


# ------------------------------------------------------------------------------- the walk

class _Frame:
    """An element on the walk's path (a box, a paragraph, a list...): a candidate container."""

    __slots__ = ("article", "chars", "depth", "drop", "furniture", "good", "hint", "links", "nlinks", "node",
                 "parent", "signature", "tag")

    def __init__(self, node: LexborNode, tag: str, parent: int, depth: int) -> None:
        self.node = node
        self.tag = tag
        self.parent = parent  # index of the enclosing frame, -1 for <body>
        self.depth = depth
        self.chars = 0  # characters of text in the blocks under it
        self.links = 0  # ... of which inside links
        self.nlinks = 0  # links under it
        self.good = 0.0  # prose weight under it
        self.drop = False
        self.hint = 0  # how surely its name says "article body": 1 (surest) to 5; 0 not at all
        self.furniture = 0  # flags: what its name or tag says it is
        self.signature = ""  # its class attribute
        self.article = False  # it holds an <article>, a <main> or an [itemprop=articleBody]


class _Proto:
    """A candidate block: its kind and text, its link statistics, the frame it stands in."""

    __slots__ = ("chars", "frame", "index", "keep", "kind", "level", "links", "loose", "nlinks", "ordered",
                 "rows", "text", "weight")

    def __init__(self, kind: str, text: str, frame: int, chars: int, links: int, nlinks: int,
                 level: int | None = None, ordered: bool = False, loose: bool = False,
                 rows: tuple[tuple[str, ...], ...] | None = None) -> None:
        self.kind = kind
        self.text = text
        self.frame = frame  # the innermost frame around it
        self.chars = chars
        self.links = links
        self.nlinks = nlinks
        self.level = level
        self.ordered = ordered
        self.loose = loose  # text beside blocks, in no paragraph of its own
        self.rows = rows
        self.weight = 0.0
        self.keep = True
        self.index = 0  # its place among all the page's candidate blocks


def _clean(text: str) -> str:
    """Whitespace collapsed within lines (``_BREAK`` ends one), empty lines dropped.

    >>> _clean("  a \\n" + _BREAK + _BREAK + "  b \\n c ")
    'a\\nb c'
    """
    if _BREAK not in text:
        return " ".join(text.split())
    lines = (" ".join(line.split()) for line in text.split(_BREAK))
    return "\n".join(line for line in lines if line)


class _Walker:
    """One depth-first walk of the body, collecting candidate blocks and frames."""

    def __init__(self, include_tables: bool, skip_header: bool) -> None:
        self.include_tables = include_tables
        self.skip_header = skip_header
        self.frames: list[_Frame] = []
        self.protos: list[_Proto] = []
        self.names: dict[tuple[str, str], tuple[int, int]] = {}  # this page's verdicts by name
        self.path: list[int] = []
        # the inline run being collected, and what it will be
        self.parts: list[str] = []
        self.mode = _LOOSE
        self.link_depth = 0
        self.run_links = 0
        self.run_nlinks = 0
        self.level = 1
        self.ordered = False
        self.list_depth = 0
        self.in_pre = False  # inside a <pre> that is not code
        self.depth = 0  # elements walked into, from the body

    def walk(self, body: LexborNode) -> None:
        self.open(body, "body")
        self.children(body)
        self.flush()
        self.path.pop()

    # -- runs and frames
    def flush(self) -> None:
        """Emit the run collected so far as a block of the current mode."""
        if not self.parts:
            return
        raw = "".join(self.parts)
        self.parts.clear()
        links, nlinks = self.run_links, self.run_nlinks
        self.run_links = self.run_nlinks = 0
        mode = self.mode
        if mode == _QUOTE and self.in_pre:
            raw = raw.replace("\n", _BREAK)  # preformatted: its lines are lines
        if mode == _CODE:
            text = raw.replace(_BREAK, "\n").strip("\n")
            if not text.strip():
                return
        else:
            text = _clean(raw)
            if not text:
                return
        chars = len(text)
        proto = _Proto(_KIND[mode], text, self.path[-1], chars, min(links, chars), nlinks,
                       level=self.level if mode in (_HEAD, _ITEM) else None,
                       ordered=self.ordered and mode == _ITEM, loose=mode == _LOOSE)
        proto.index = len(self.protos)
        self.protos.append(proto)

    def open(self, node: LexborNode, tag: str) -> int:
        fid = len(self.frames)
        frame = _Frame(node, tag, self.path[-1] if self.path else -1, len(self.path))
        if tag in _NAMED_TAGS:
            self.read_name(frame, node)
            if tag == "form":
                frame.furniture |= _FORM
        elif tag in _FURNITURE_TAGS:
            frame.furniture = _TAG
        self.frames.append(frame)
        self.path.append(fid)
        return fid

    def read_name(self, frame: _Frame, node: LexborNode) -> None:
        """What the element's class and id (and ``itemprop``) say it is."""
        attrs = node.attributes
        cls = attrs.get("class") or ""
        ident = attrs.get("id") or ""
        frame.signature = cls
        if cls or ident:
            key = (cls, ident)
            verdict = self.names.get(key)
            if verdict is None:
                verdict = self.names[key] = _judge_name(cls, ident)
            frame.hint, frame.furniture = verdict
            if attrs.get("itemprop") in ("articleBody", "articlebody"):
                frame.hint, frame.article = 1, True
        if frame.tag == "article" and (frame.hint == 0 or frame.hint > 2):
            frame.hint = 2
        elif frame.tag == "main" and frame.hint == 0:
            frame.hint = 5

    # -- the walk
    def children(self, node: LexborNode) -> None:
        """Walk the children of ``node``: text and inline elements join the current run, block
        elements go to their handler (the hot loop, kept flat). Deeper than
        :data:`MAX_WALK_DEPTH`, a RecursionError (whatever Python's own limit)."""
        self.depth += 1
        if self.depth > MAX_WALK_DEPTH:
            raise RecursionError(f"elements nest more than {MAX_WALK_DEPTH} deep")
        parts = self.parts
        child = node.child
        while child is not None:
            tag = child.tag
            if tag == "-text":
                raw = child.text_content
                if raw and (parts or self.mode == _CODE or not raw.isspace()):
                    parts.append(raw)
                    if self.link_depth:
                        self.run_links += len(raw.strip())
            elif tag in _INLINE:
                if tag == "a":
                    self.link_depth += 1
                    self.run_nlinks += 1
                    self.children(child)
                    self.link_depth -= 1
                else:
                    self.children(child)
            elif tag == "br":
                parts.append(_BREAK)
            elif tag and tag not in _SKIP and tag[0] != "-":  # not a comment, not a doctype
                self.block_node(child, tag)
            child = child.next
        self.depth -= 1

    def block_node(self, node: LexborNode, tag: str) -> None:
        handler = _HANDLERS.get(tag)
        if handler is not None:
            handler(self, node, tag)
        elif self.mode in _NESTED:
            self.line(node)
        elif self.mode == _CODE:
            self.children(node)
        else:
            self.container(node, tag)

    def line(self, node: LexborNode) -> None:
        """A block inside a heading, list item or quote: a line of its own in that block."""
        self.parts.append(_BREAK)
        self.children(node)
        self.parts.append(_BREAK)

    def container(self, node: LexborNode, tag: str) -> None:
        if tag == "header" and self.skip_header:
            return
        if self.parts:
            self.flush()
        saved = self.mode
        self.mode = _LOOSE
        self.open(node, tag)
        self.children(node)
        if self.parts:
            self.flush()
        self.path.pop()
        self.mode = saved

    def block(self, node: LexborNode, tag: str, mode: int, level: int | None = None) -> None:
        """A paragraph, heading, quote or code block."""
        if self.mode in _NESTED:
            self.line(node)
            return
        if self.mode == _CODE:
            self.children(node)
            return
        if self.parts:
            self.flush()
        saved, saved_level = self.mode, self.level
        self.mode = mode
        if level is not None:
            self.level = level
        self.open(node, tag)
        self.children(node)
        if self.parts:
            self.flush()
        self.path.pop()
        self.mode, self.level = saved, saved_level

    def paragraph(self, node: LexborNode, tag: str) -> None:
        self.block(node, tag, _PARA)

    def heading(self, node: LexborNode, tag: str) -> None:
        self.block(node, tag, _HEAD, _HEADINGS[tag])

    def quote(self, node: LexborNode, tag: str) -> None:
        self.block(node, tag, _QUOTE)

    def pre(self, node: LexborNode, tag: str) -> None:
        """Code when it looks like code (as trafilatura decides), else a quote that keeps its lines."""
        if self.mode == _CODE:
            self.children(node)
            return
        if self.mode not in _NESTED:
            raw = node.text(deep=True) or ""
            first = node.child
            only_span = first is not None and first.tag == "span" and first.next is None
            if only_span or any(hint in raw for hint in _CODE_HINTS) or _has_code(node):
                self.block(node, tag, _CODE)
                return
        self.in_pre = True
        self.block(node, tag, _QUOTE)
        self.in_pre = False

    def noscript(self, node: LexborNode, tag: str) -> None:
        """A page's fallback for readers without JavaScript (a forum's posts, say): walked, but
        markup the parser left as text (tracking pixels) is not text."""
        child = node.child
        if child is not None and child.tag == "-text" and child.next is None and \
                (child.text_content or "").lstrip().startswith("<"):
            return
        self.container(node, tag)

    def list_(self, node: LexborNode, tag: str) -> None:
        if self.mode in (_HEAD, _QUOTE, _CODE):
            self.line(node)
            return
        self.flush()
        saved = (self.mode, self.level, self.ordered)
        self.list_depth += 1
        self.level = self.list_depth
        self.ordered = tag == "ol"
        self.mode = _LOOSE  # text directly in the list, outside items
        self.open(node, tag)
        self.children(node)
        self.flush()
        self.path.pop()
        self.list_depth -= 1
        self.mode, self.level, self.ordered = saved

    def item(self, node: LexborNode, tag: str) -> None:
        """A list item (``li``, ``dt``, ``dd``): its text, then its nested lists' items."""
        if self.mode in (_HEAD, _QUOTE, _CODE, _ITEM):
            self.line(node)
            return
        self.flush()
        saved = (self.mode, self.level)
        self.mode = _ITEM
        self.level = max(self.list_depth, 1)
        self.open(node, tag)
        child = node.child
        while child is not None:
            if child.tag in _LISTS:
                self.flush()  # the item's own text, then the nested list's items
                self.mode = _LOOSE
                self.list_(child, child.tag or "ul")
                self.mode = _ITEM
            else:
                self.one(child)
            child = child.next
        self.flush()
        self.path.pop()
        self.mode, self.level = saved

    def one(self, node: LexborNode) -> None:
        """Walk one node (as :meth:`children` walks each child)."""
        tag = node.tag or ""
        if tag == "-text":
            raw = node.text_content
            if raw:
                self.parts.append(raw)
                if self.link_depth:
                    self.run_links += len(raw.strip())
        elif tag == "a":
            self.link_depth += 1
            self.run_nlinks += 1
            self.children(node)
            self.link_depth -= 1
        elif tag in _INLINE:
            self.children(node)
        elif tag == "br":
            self.parts.append(_BREAK)
        elif tag and tag not in _SKIP and tag[0] != "-":
            self.block_node(node, tag)

    def table(self, node: LexborNode, tag: str) -> None:
        """A data table as one block of rows; a layout table (one cell holds an article) as the
        blocks of its cells."""
        if not self.include_tables:
            return
        if self.mode in (_HEAD, _ITEM, _QUOTE, _CODE):
            self.line(node)
            return
        if node.attributes.get("role") in ("presentation", "none"):
            self.container(node, tag)
            return
        self.flush()
        saved = self.mode
        fid = self.open(node, tag)
        caption = node.css_first("caption")
        if caption is not None and caption.parent is not None and caption.parent.mem_id == node.mem_id:
            self.block(caption, "caption", _PARA)  # a data table's title: a paragraph before it
        start = len(self.protos)
        rows: list[list[tuple[int, int]]] = []  # per row, the range of candidate blocks of each cell
        layout = False
        for row in _own_rows(node):
            spans: list[tuple[int, int]] = []
            for cell in _own_cells(row):
                first = len(self.protos)
                self.mode = _LOOSE
                cid = self.open(cell, cell.tag or "td")
                self.children(cell)
                self.flush()
                self.path.pop()
                spans.append((first, len(self.protos)))
                layout = layout or _prose_cell(self.protos[first:], cid, self.frames)
            rows.append(spans)
        self.mode = saved
        self.path.pop()
        made = self.protos[start:]
        if layout or _layout_cells(made, rows, start):
            return  # the cells' blocks stand as they are
        del self.protos[start:]
        table_rows: list[tuple[str, ...]] = []
        for spans in rows:
            cells = tuple(" ".join(" ".join(p.text.split()) for p in made[first - start:end - start])
                          for first, end in spans)
            if any(cells):
                table_rows.append(cells)
        if not table_rows:
            return
        text = "\n".join(" | ".join(c for c in r if c) for r in table_rows)
        chars = sum(len(c) for r in table_rows for c in r)
        links = sum(p.links for p in made)
        proto = _Proto("table", text, fid, chars, min(links, chars), sum(p.nlinks for p in made),
                       rows=tuple(table_rows))
        proto.index = len(self.protos)
        self.protos.append(proto)


_Handler = Callable[[_Walker, LexborNode, str], None]
_HANDLERS: dict[str, _Handler] = {
    "p": _Walker.paragraph,
    **dict.fromkeys(_HEADINGS, _Walker.heading),
    "blockquote": _Walker.quote,
    "pre": _Walker.pre,
    **dict.fromkeys(_LISTS, _Walker.list_),
    **dict.fromkeys(("li", "dt", "dd"), _Walker.item),
    "table": _Walker.table,
    "noscript": _Walker.noscript,
}


def _has_code(node: LexborNode) -> bool:
    """A ``<pre>`` whose only child is a ``<code>``."""
    child = node.child
    while child is not None:
        if child.tag == "code":
            return True
        if child.tag != "-text" or (child.text_content or "").strip():
            return False
        child = child.next
    return False


def _own_rows(table: LexborNode) -> list[LexborNode]:
    """The rows of ``table`` itself (in its row groups), not those of tables nested in its cells."""
    rows: list[LexborNode] = []
    child = table.child
    while child is not None:
        if child.tag == "tr":
            rows.append(child)
        elif child.tag in ("tbody", "thead", "tfoot"):
            sub = child.child
            while sub is not None:
                if sub.tag == "tr":
                    rows.append(sub)
                sub = sub.next
        child = child.next
    return rows


def _own_cells(row: LexborNode) -> list[LexborNode]:
    cells: list[LexborNode] = []
    child = row.child
    while child is not None:
        if child.tag in _CELLS:
            cells.append(child)
        child = child.next
    return cells


def _prose_cell(protos: list[_Proto], cid: int, frames: list[_Frame]) -> bool:
    """A cell holding an article: 3+ paragraphs, lists or quotes directly in it, 500+ characters
    (``extract.py``'s test for trafilatura's tables)."""
    count = chars = 0
    for p in protos:
        if p.kind in ("paragraph", "list_item", "quote") and not p.loose and p.frame != cid and \
                frames[p.frame].parent == cid:
            count += 1
            chars += p.chars
        elif p.kind == "list_item" and _descends(frames, p.frame, cid):
            chars += p.chars
    return count >= 3 and chars >= 500


def _layout_cells(made: list[_Proto], rows: list[list[tuple[int, int]]], start: int) -> bool:
    """A table laid out as a page: one cell holds most of its text (300+ characters)."""
    total = sum(p.chars for p in made)
    if total < 300:
        return False
    for spans in rows:
        for first, end in spans:
            chars = sum(p.chars for p in made[first - start:end - start])
            if chars >= 300 and chars > 0.5 * total:
                return True
    return False


# ----------------------------------------------------------------------------- choosing

def _weigh(p: _Proto, s: _Settings) -> float:
    """What a block adds to a container's score: prose counts for it, link text and short loose
    fragments against it."""
    chars = p.chars
    density = p.links / chars if chars else 0.0
    kind = p.kind
    if kind in ("paragraph", "quote", "code"):
        if p.loose and chars < s.min_loose:
            return -0.2 * chars if density < 0.5 else -float(p.links)
        if density > s.link_ratio:
            return -float(p.links)
        return chars * (1.0 - density) if chars >= 25 else 0.0
    if kind == "heading":
        return -float(p.links) if density > 0.5 else 0.0
    if kind == "list_item":
        if density > s.link_ratio:
            return -0.5 * p.links
        return 0.5 * chars * (1.0 - density) if chars >= 40 else 0.0
    if kind == "table":
        return -0.5 * p.links if density > 0.5 else 0.3 * chars
    return 0.0


def extract(tree: LexborHTMLParser, *, url: str | None = None, favor: Favor = "balanced",
            include_tables: bool = True) -> Extraction:
    """The main content of the pruned ``tree`` (the tree is not changed) as blocks, and whether to
    doubt them.

    ``favor`` shifts the thresholds as trafilatura's switches do; ``include_tables=False`` leaves
    tables out (trafilatura's option). ``url`` is accepted for symmetry with the trafilatura path,
    which uses it; the native path does not need it.
    """
    del url
    body = tree.body
    if body is None:
        return Extraction((), True, "no body")
    settings = _SETTINGS.get(favor, _SETTINGS["balanced"])
    walker = _Walker(include_tables, skip_header=favor == "precision")
    walker.walk(body)  # recursive, to MAX_WALK_DEPTH levels: clean() flattens a tree deeper than that
    frames, protos = walker.frames, walker.protos
    if not protos:
        return Extraction((), True, "no text", {"page": 0.0})

    # each frame's statistics: its own blocks', then added up the tree (a parent comes before its
    # children in ``frames``, so a reverse pass sees every child before its parent)
    for p in protos:
        weight = p.weight = _weigh(p, settings)
        f = frames[p.frame]
        f.chars += p.chars
        f.links += p.links
        f.nlinks += p.nlinks
        if weight > 0:
            f.good += weight
    for f in reversed(frames):
        if f.parent >= 0:
            up = frames[f.parent]
            up.chars += f.chars
            up.links += f.links
            up.nlinks += f.nlinks
            up.good += f.good
            if f.article or f.tag in ("article", "main"):
                up.article = True
    total_good = frames[0].good
    _mark_link_dense(frames)
    _mark_furniture(frames, total_good, _forum(tree), settings.furniture)

    # the score of a frame: the weights of the blocks under it, but for dropped ones
    scores = [0.0] * len(frames)
    dropped = [False] * len(frames)
    for fid, f in enumerate(frames):
        dropped[fid] = f.drop or (f.parent >= 0 and dropped[f.parent])
    for p in protos:
        if dropped[p.frame]:
            p.keep = False
        elif p.weight:
            scores[p.frame] += p.weight
    for fid in range(len(frames) - 1, 0, -1):
        scores[frames[fid].parent] += scores[fid]
    best = max((fid for fid, f in enumerate(frames) if f.tag not in _NOT_BOXES), key=scores.__getitem__)
    if scores[best] <= 0:
        return Extraction(tuple(_to_blocks(protos)), True, "no prose", {"page": float(frames[0].chars)})
    chosen = _container(frames, scores, best, settings)
    containers = {chosen} | _same_siblings(frames, chosen, scores)
    inside = [False] * len(frames)
    for fid, f in enumerate(frames):
        inside[fid] = fid in containers or (f.parent >= 0 and inside[f.parent])
    page_prose = sum(p.chars for p in protos if p.kind == "paragraph" and not p.loose)
    kept = _keep([p for p in protos if p.keep and inside[p.frame]], settings, frames, page_prose, protos)

    chars = sum(p.chars for p in kept)
    coverage = sum(frames[c].good for c in containers) / total_good if total_good else 0.0
    lists = sum(p.chars for p in kept if p.kind == "list_item") / chars if chars else 0.0
    hint = frames[chosen].hint
    stats = {"chars": float(chars), "coverage": coverage, "lists": lists, "hint": float(hint),
             "depth": float(frames[chosen].depth), "containers": float(len(containers)),
             "page": float(frames[0].chars)}
    if chars < settings.min_chars:
        return Extraction(tuple(_to_blocks(kept)), True, f"little text ({chars} characters)", stats)
    if coverage < settings.min_coverage:
        why = f"prose outside the container ({coverage:.0%} inside)"
        return Extraction(tuple(_to_blocks(kept)), True, why, stats)
    if lists > 0.5 and hint >= 4:
        return Extraction(tuple(_to_blocks(kept)), True,
                          f"a list under a generic container ({lists:.0%} list items)", stats)
    return Extraction(tuple(_to_blocks(kept)), False, f"container <{frames[chosen].tag}>", stats)


def _container(frames: list[_Frame], scores: list[float], best: int, s: _Settings) -> int:
    """The article container: the surest-named element holding most of the best score, else the
    deepest box within ``tolerance`` of the best score. ``best`` is the box with the best score
    (not a paragraph, list or table: those are a container's content)."""
    top = scores[best]
    named = [fid for fid, f in enumerate(frames)
             if f.hint and scores[fid] >= s.hint_share * top and f.tag not in _NOT_BOXES]
    if named:
        chosen = min(named, key=lambda fid: (frames[fid].hint, -scores[fid]))
        if frames[chosen].hint <= 3:
            return chosen
        best, top = chosen, scores[chosen]  # <main>, #content...: a deeper box may be better
    chosen = best
    for fid in range(best + 1, len(frames)):
        f = frames[fid]
        if scores[fid] >= top * (1 - s.tolerance) and f.depth > frames[chosen].depth and \
                f.tag not in _NOT_BOXES and _descends(frames, fid, best):
            chosen = fid
    return chosen


def _same_siblings(frames: list[_Frame], chosen: int, scores: list[float]) -> set[int]:
    """Siblings and cousins of the container with its tag and class, reached through wrappers of
    the same tags and classes (a body split around an ad row: ``row > col > .body``, ad row,
    ``row > col > .body``), up to :data:`_COUSIN_LEVELS` levels up."""
    frame = frames[chosen]
    if frame.parent < 0 or not frame.signature:
        return set()
    path = [chosen]  # the container and its ancestors, up to the shared one
    while len(path) <= _COUSIN_LEVELS and frames[path[-1]].parent >= 0:
        path.append(frames[path[-1]].parent)
    same: set[int] = set()
    for fid in range(path[-1] + 1, len(frames)):
        f = frames[fid]
        if fid == chosen or f.tag != frame.tag or f.signature != frame.signature or scores[fid] <= 0:
            continue
        up = fid
        for level in range(1, len(path)):
            up = frames[up].parent
            if up < 0:
                break
            if up == path[level]:
                same.add(fid)
                break
            mine = frames[path[level]]
            if frames[up].tag != mine.tag or frames[up].signature != mine.signature:
                break
    return same


#: How far up the container's wrappers a split body is looked for (1: siblings only).
_COUSIN_LEVELS = 3


def _descends(frames: list[_Frame], fid: int, ancestor: int) -> bool:
    while fid >= 0:
        if fid == ancestor:
            return True
        fid = frames[fid].parent
    return False


def _outermost(frames: list[_Frame], marked: list[int]) -> list[int]:
    """The marked frames that no other marked frame contains."""
    inside = set(marked)
    out = []
    for fid in marked:
        parent = frames[fid].parent
        while parent >= 0 and parent not in inside:
            parent = frames[parent].parent
        if parent < 0:
            out.append(fid)
    return out


def _forum(tree: LexborHTMLParser) -> bool:
    """A forum thread by its JSON-LD (``DiscussionForumPosting``): its "comments" are its posts."""
    return any(_FORUM.search(node.text() or "") for node in tree.css('script[type="application/ld+json"]'))


def _mark_link_dense(frames: list[_Frame]) -> None:
    """Drop boxes, lists and paragraphs that are mostly links (trafilatura's link-density tests)."""
    for f in frames:
        if not f.nlinks or f.depth == 0 or f.tag not in ("div", "section", "ul", "ol", "dl", "p"):
            continue
        chars, links = f.chars, f.links
        if not chars:
            continue
        if chars < (30 if f.tag == "p" else 100):
            if links > 0.8 * chars:
                f.drop = True
        elif f.nlinks > 4 and links > 0.9 * chars and links < 100 * f.nlinks:
            f.drop = True
        elif f.tag in _LISTS and links > 0.8 * chars and links < 100 * f.nlinks:
            f.drop = True  # a list of links


def _mark_furniture(frames: list[_Frame], total_good: float, forum: bool, mask: int) -> None:
    """Drop furniture: comment sections (not on a forum thread); ``<nav>``, ``<aside>``, ``<footer>``
    left in place, unless they hold the article (an ``<article>`` or ``<main>`` and most of the
    prose: a page wrapped in an unclosed ``<aside>``); forms, unless they hold most of the prose
    (as trafilatura keeps them); and elements
    named as furniture (``mask``: which kinds), unless one holds half the page's prose or all of
    them together leave less than a seventh of it (a class name can lie)."""
    for f in frames:
        comments = bool(f.furniture & _COMMENT) and f.depth > 0 and not forum
        structure = bool(f.furniture & _TAG) and not (f.article and f.good > 0.5 * total_good)
        form = bool(f.furniture & _FORM) and f.good <= 0.5 * total_good  # not a page laid out in a form
        if comments or structure or form:
            f.drop = True
    marked = [fid for fid, f in enumerate(frames)
              if f.furniture & mask and f.depth and f.good <= 0.5 * total_good]
    if not marked:
        return
    gone = sum(frames[fid].good for fid in _outermost(frames, marked))
    if total_good and total_good - gone < total_good / 7:
        return
    for fid in marked:
        frames[fid].drop = True


# ------------------------------------------------------------------------------ keeping

def _keep(protos: list[_Proto], s: _Settings, frames: list[_Frame], page_prose: int,
          everything: list[_Proto]) -> list[_Proto]:
    """The container's blocks worth keeping: not link furniture, not stray fragments, not
    headings that introduce nothing. ``everything``: all the page's candidate blocks."""
    loose = sum(p.chars for p in protos if p.loose)
    # text written without <p> (in this container, or on the whole page, as trafilatura judges)
    loose_box = loose > 0.5 * sum(p.chars for p in protos) or page_prose < 750
    protos = [p for p in protos if _worth(p, s, loose_box)]
    if loose_box:
        protos = _trim_edges(protos, s)
    if s.edges:
        solid = [k for k, p in enumerate(protos) if p.chars >= s.edges and p.kind != "heading"]
        if solid:
            protos = protos[:solid[-1] + 1]  # what follows the last solid block: notes, prompts, links
    if not s.strict_headings:
        return protos
    kept = {p.index for p in protos}
    return [p for k, p in enumerate(protos) if p.kind != "heading"
            or (_introduces(p, protos, k, frames) and _followed(p, everything, kept, s))]


def _worth(p: _Proto, s: _Settings, loose_box: bool) -> bool:
    """Whether a block inside the container is kept: not link furniture, not a stray fragment."""
    chars = p.chars
    density = p.links / chars if chars else 0.0
    if p.kind == "table":
        return not (chars >= 200 and (density > 0.8 if chars < 1000 else density > 0.5))
    if p.loose:
        if density >= 0.5:
            return False
        if loose_box:
            return True
        if "\n" in p.text and chars >= s.min_loose:
            return True  # lines written with <br>: a paragraph without its <p>
        return chars >= s.loose_long or _sentence(p.text)
    if p.kind == "heading" and p.links > 0.8 * chars and s.strict_headings:
        return False  # a teaser's linked headline
    if p.kind == "paragraph" and p.links:
        if p.nlinks == 1 and p.links > 100 and p.links > 0.9 * chars:
            return False
        if chars < 60 and p.links > 0.8 * chars:
            return False
    return True


_SENTENCE_WORDS = 8  # a loose run of this many words ending a sentence is prose, however short
_SENTENCE_END = tuple('.!?…"”’»)')


def _sentence(text: str) -> bool:
    """Whether loose text reads as a sentence of prose: :data:`_SENTENCE_WORDS` words or more,
    ending as a sentence ends (a paragraph written in a ``<div>``, not a label or a prompt).

    >>> _sentence("Frozen rhubarb works too: thaw it and drain it well first."), _sentence("Read more")
    (True, False)
    """
    text = text.rstrip()
    return text.endswith(_SENTENCE_END) and more_words(text, _SENTENCE_WORDS - 1)


def _trim_edges(protos: list[_Proto], s: _Settings) -> list[_Proto]:
    """Short loose lines before the first or after the last solid block (a paragraph, a list
    item, a long run of text) are a date, a category, a prompt -- not the article's sub-headings,
    which stand between its paragraphs. A page of short lines keeps them all."""
    solid = [k for k, p in enumerate(protos)
             if not p.loose or p.chars >= s.loose_long or "\n" in p.text or _sentence(p.text)]
    if not solid:
        return protos
    first, last = solid[0], solid[-1]
    return [p for k, p in enumerate(protos) if first <= k <= last or not p.loose]


def _introduces(heading: _Proto, protos: list[_Proto], k: int, frames: list[_Frame]) -> bool:
    """Whether a heading has something of its own after it: a block (or a deeper heading) in the
    box it stands in, or the box around that."""
    if k + 1 >= len(protos):
        return False
    after = protos[k + 1]
    if after.kind == "heading" and (after.level or 2) <= (heading.level or 2):
        return False
    box = frames[heading.frame].parent  # the heading's own frame is the <h2>; the box it stands in
    if box >= 0 and frames[box].parent >= 0:
        box = frames[box].parent  # ... or the box around that
    return box < 0 or _descends(frames, after.frame, box)


def _followed(heading: _Proto, everything: list[_Proto], kept: set[int], s: _Settings) -> bool:
    """Whether what comes right after a heading on the page is kept: a widget's title is followed
    by the links or teasers that were dropped. Short loose lines do not count."""
    for p in everything[heading.index + 1:]:
        if p.index in kept:
            return True
        if not (p.loose and not p.links and p.chars < s.loose_long):
            return False
    return False


def _to_blocks(protos: list[_Proto]) -> list[Block]:
    """Candidate blocks as :class:`~newsclean.article.Block` objects."""
    out: list[Block] = []
    for p in protos:
        if p.kind == "table":
            out.append(Block("table", p.text, rows=p.rows))
        elif p.kind == "heading":
            out.append(Block("heading", p.text, level=p.level))
        elif p.kind == "list_item":
            out.append(Block("list_item", p.text, level=p.level, ordered=p.ordered))
        elif p.kind == "quote":
            out.append(Block("quote", p.text))
        elif p.kind == "code":
            out.append(Block("code", p.text))
        else:
            out.append(Block("paragraph", p.text))
    return out
