"""Learn a site's furniture from its own pages: the blocks that recur are the template.

Hand-written publisher packs are precise but need one per site. Across a site's pages the
article is what differs; a block that recurs on most of them with the same text (or whose
text differs only inside links: a "Most Read" list) is the template. :func:`learn` finds such
blocks and writes them as an ordinary rule pack (TOML) that a person can read, edit, commit,
and load with :meth:`newsclean.Rules.load` (marked ``learned = true``, so that its selectors
keep the prose guard of token rules: on a new page, none takes 500+ characters of prose):

- ``selector`` rules for recurring boxes with a stable class, id or ``data-testid`` (never
  an nth-child path, never a class or id that looks generated: hashes, long numbers);
- ``line`` rules (an escaped regex of the whole line) for a recurring furniture line that
  leaked into the article text and has no stable element of its own.

A rule is learned only if it takes text out of the article newsclean extracts on the sample
pages, never takes out a page's own text (text found on that page alone), and never more
than a small share of any sample page's article. Prose (long sentences, few links) is never
learned as a line, whatever its recurrence, and pages that share their text (the same story
twice) count once.

>>> def page(story: str, n: int) -> tuple[str, str]:
...     html = f'''<html><body><article><h1>Story {n}</h1><p>{story}</p>
...     <div class="hg-tipline"><b>Tip us off</b> Seen something? Email tips@gazette.example</div>
...     <p>The {n}th report was filed on day {n}, said the clerk, who asked not to be named.</p>
...     </article></body></html>'''
...     return html, f"https://www.gazette.example/news/{n}"
>>> stories = ["The council approved the harbour budget after a long debate on dredging costs.",
...            "Ferry crews voted to accept the new pay offer after three weeks of talks.",
...            "The lighthouse reopened to visitors on Saturday after a year of repairs."]
>>> learned = learn([page(s, n) for n, s in enumerate(stories, 1)])
>>> [(r.id, r.kind, r.patterns) for r in learned.pack.rules]
[('learned.gazette.example.1', 'selector', ('div.hg-tipline',))]
>>> learned.pack.rules[0].why
"on 3 of 3 pages: box 'Tip us off Seen something? Email tips@gazette.example'"
>>> from newsclean.page.pipeline import clean
>>> html, url = page("A new ferry terminal opened at Port Ellis on Monday morning.", 4)
>>> "Tip us off" in clean(html, url).text
True
>>> "Tip us off" in clean(html, url, rules=Rules.default() + learned).text
False
>>> Pack.from_toml(learned.to_toml()).rules == learned.pack.rules
True
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from newsclean.article import Article
from newsclean.options import Options
from newsclean.page.decode import decode_html
from newsclean.page.pipeline import clean
from newsclean.rules import Pack, Rule, Rules

__all__ = ["LearnedRules", "Page", "Sample", "host_of", "is_generated_name", "is_prose", "learn",
           "page_host", "selector_for"]

Page = str | bytes | tuple[str | bytes, str | None]
"""A page to learn from: its HTML, or ``(html, url)``."""

# ------------------------------------------------------------------------------- settings
MIN_SHARE = 0.5  # a block must recur on at least this share of the (distinct) sample pages...
MIN_PAGES = 2  # ...and on at least this many
MAX_ARTICLE_SHARE = 0.25  # a rule may take at most this share of any sample page's article words
MAX_UNIQUE_CHARS = 20  # page-specific text a matched box may hold outside links (a date, a count)
DUPLICATE_OVERLAP = 0.5  # two pages sharing this share of their article's 8-word shingles: one story
ODD_SHARE = 0.1  # a template box may hold a short text of one page's own on this share of the pages
ODD_WORDS = 40  # (a promo seen once in a large sample), never prose nor more than this many words
SHORT_WORDS = 8  # a box of this many words or fewer, mostly not links, is a label or a heading:
#                  it names the page's own content ("Condition:", "Specifications"), it is not furniture
MAX_LINE_CHARS = 300  # line rules match whole lines of at most 300 characters (as newsclean does)

_SKIP = frozenset({"script", "style", "noscript", "template", "svg", "iframe", "head", "meta", "link",
                   "object", "embed", "canvas", "math", "select", "option"})
# Never a box of their own: the page's frame, and inline elements (a word inside a sentence, a
# token of highlighted code, a link) -- the template is made of blocks.
_NEVER = frozenset({"html", "body", "main", "article", "a", "b", "i", "em", "strong", "u", "s", "small",
                    "sup", "sub", "abbr", "cite", "q", "mark", "kbd", "var", "samp", "dfn", "time", "img",
                    "picture", "source", "br", "hr", "label", "span", "font", "code", "td", "th", "tr",
                    "tbody", "thead", "tfoot", "dd", "dt", "li"})
# Nothing inside these is ever a box: their content is the page's own (code, data).
_OPAQUE = frozenset({"pre", "code", "math", "svg"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_CONTAINER = "article, main, [itemprop=articleBody], [itemprop=articlebody]"
_STATE = frozenset({"active", "current", "selected", "open", "opened", "closed", "show", "shown", "hide",
                    "hidden", "visible", "invisible", "collapsed", "expanded", "loaded", "loading",
                    "lazyload", "lazyloaded", "fade", "in", "out", "on", "off", "first", "last", "odd",
                    "even", "clearfix", "row", "col", "container", "wrapper", "inner", "outer", "content",
                    "block", "item", "left", "right", "center", "full", "large", "small", "medium"})
# Utility classes (Tailwind, Bootstrap) say how a box looks, not what it is: never a signature.
_UTILITY = re.compile(
    r"^(?:-?(?:[mp][trblxyse]?|gap|space-[xy]|w|h|min-[wh]|max-[wh]|size|inset|top|left|right|bottom|z|"
    r"order|col|row|basis|grid-cols|grid-rows|col-span|row-span|text|font|leading|tracking|bg|from|to|via|"
    r"border|rounded|shadow|ring|outline|opacity|items|justify|content|self|place|flex|grid|overflow|"
    r"whitespace|break|line-clamp|transition|duration|ease|delay|animate|translate-[xy]|scale|rotate|"
    r"cursor|select|fill|stroke|object|aspect|divide|d|align|float|position|pe|ps|fs|fw|lh|g|gx|gy|end|start|"
    r"col-(?:xs|sm|md|lg|xl|xxl)|offset(?:-(?:xs|sm|md|lg|xl))?|order-(?:sm|md|lg))-[\w.-]+|"
    r"flex|grid|block|inline|inline-block|inline-flex|hidden|relative|absolute|fixed|sticky|static|"
    r"container|sr-only|visually-hidden|truncate|uppercase|lowercase|capitalize|italic|underline|"
    r"grow|shrink|shadow|rounded|border|transition|transform|clearfix|pull-left|pull-right|"
    r"text-center|text-left|text-right|row|col|small|lead|well|card-body|"
    r"[mp][trblxyse]?\d+|\w{1,2}|.*-(?:xs|sm|md|lg|xl|xxl)(?:-\d+)?|.*(?:clientpref|--(?:open|active|expanded|"
    r"collapsed|visible|hidden|selected|loading|loaded|enabled|disabled|sticky|fixed)).*)$")
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{1,60}$")
_PREFIXED = re.compile(r"^(?:css|sc|jsx|svelte|emotion|styled|astro|jss|tw|ng-tns|ember)[-_]", re.I)
_DIGITS = re.compile(r"\d{3,}|[-_]\d+$")
_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+")
_MASK = re.compile(r"\d+")
_ALPHA_WORD = re.compile(r"[^\W\d_]{2,}")


@lru_cache(maxsize=65536)  # a site's pages repeat their class names many times over
def is_generated_name(name: str, *, is_id: bool = False) -> bool:
    """A class or id a build tool or a database made up, which will not survive the next deploy
    or names one page: hashes, long numbers, CSS-module suffixes, utility prefixes.

    >>> [is_generated_name(n) for n in ("most-read", "css-1q2w3e", "sc-bdVaJa", "post-12345",
    ...                                   "Article_body__3kXy2", "kBpQAz", "a1b2c3d4", "col-md-6")]
    [False, True, True, True, True, True, True, False]
    >>> is_generated_name("ad-slot-3", is_id=True), is_generated_name("ad-slot-3")
    (True, False)
    """
    if not _NAME.match(name) or _PREFIXED.match(name):
        return True
    if re.search(r"\d{3,}", name) or (is_id and _DIGITS.search(name)):
        return True
    if re.search(r"__[A-Za-z0-9]{5,}$", name) and re.search(r"\d", name.rsplit("__", 1)[1]):
        return True
    for part in re.split(r"[-_]+", name):
        letters, digits = sum(c.isalpha() for c in part), sum(c.isdigit() for c in part)
        if len(part) >= 5 and digits >= 2 and letters >= 2:
            return True  # a1b2c3d4, e1xyz9
    # styled-components' bare hashes: short, mixed case, not a camelCase word ("kBpQAz")
    return bool(re.fullmatch(r"[a-z][A-Za-z]{4,7}", name)) and sum(c.isupper() for c in name) >= 2 and bool(
        re.search(r"[A-Z]{2}|[A-Z][a-z][A-Z]", name))


def selector_for(node: LexborNode) -> str | None:
    """A stable CSS selector for this element alone, by its id, classes (at most three, state and
    layout words left out) or ``data-testid``/``data-component``; None if it has none.

    >>> tree = LexborHTMLParser('<div id="x123456" class="promo-box is-open active css-9x8y7z"></div>'
    ...                         '<section data-testid="most-read"></section><p id="disclaimer"></p>')
    >>> [selector_for(n) for n in tree.css("div, section, p")]
    ['div.promo-box', 'section[data-testid="most-read"]', 'p#disclaimer']
    """
    tag = node.tag or ""
    attrs = node.attributes
    ident = attrs.get("id")
    if ident and not is_generated_name(ident, is_id=True):
        return f"{tag}#{ident}"
    classes = _stable_classes(attrs.get("class") or "")
    if classes:
        return tag + classes
    for name in ("data-testid", "data-component", "data-module", "data-widget"):
        value = attrs.get(name)
        if value and re.fullmatch(r"[A-Za-z][\w-]{1,60}", value) and not is_generated_name(value):
            return f'{tag}[{name}="{value}"]'
    return None


@lru_cache(maxsize=65536)
def _stable_classes(value: str) -> str:
    """A ``class`` attribute's stable classes (at most three) as a selector suffix, or ""."""
    classes = [c for c in value.split() if not is_generated_name(c)
               and c.lower() not in _STATE and not c.lower().startswith(("is-", "has-", "js-"))
               and not _UTILITY.match(c)]
    return "".join(f".{c}" for c in list(dict.fromkeys(classes))[:3])


def _norm(text: str) -> str:
    return " ".join(text.split())


def _norm_line(text: str) -> str:
    """The text a ``line`` rule is matched against (as newsclean's text rules normalise it)."""
    text = _norm(text).replace("’", "'").replace("‘", "'")
    return text.strip(" :|>»›-–—•·")


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def is_prose(text: str) -> bool:
    """Prose, never a furniture line: two sentences of six or more words, or forty words.

    >>> is_prose("Sign up for our newsletter")
    False
    >>> is_prose("The council met on Monday to vote. It approved the harbour budget in full.")
    True
    """
    if _words(text) >= 40:
        return True
    return sum(1 for s in _SENTENCE_END.split(text) if _words(s) >= 6) >= 2


# --------------------------------------------------------------------------------- samples
@dataclass
class _Box:
    """One element of a sample page that has a stable selector."""

    selector: str
    tag: str
    text: str  # all its text, whitespace collapsed
    fixed: str  # its text outside links, digits masked: what must recur for a template block
    words: int
    link_words: int
    mem_id: int
    ancestors: tuple[int, ...]  # mem_ids of its element ancestors


@dataclass
class Sample:
    """One page of the site, read once: its boxes, and the article newsclean extracts from it."""

    html: str
    url: str | None
    canonical: str | None
    tree: LexborHTMLParser
    article: Article
    boxes: list[_Box] = field(default_factory=list)
    body_words: int = 0
    _units: list[tuple[str, str]] | None = field(default=None, repr=False)

    @classmethod
    def of(cls, html: str | bytes, url: str | None = None, article: Article | None = None,
           *, rules: Rules | None = None, options: Options | None = None) -> Sample:
        """Read a page; ``article`` is its cleaning by the shipped (or given) rules, if done already."""
        article = article if article is not None else clean(html, url, rules=rules, options=options)
        if isinstance(html, bytes):
            html = decode_html(html)
        tree = LexborHTMLParser(html)
        canonical = None
        link = tree.css_first('link[rel="canonical"]')
        if link is not None:
            canonical = link.attributes.get("href")
        sample = cls(html=html, url=url, canonical=article.canonical_url or canonical, tree=tree,
                     article=article)
        sample._walk()
        return sample

    def _walk(self) -> None:
        """One walk of the body: every text node in order (and whether a link holds it), and for
        each element with a stable selector the span of text nodes it holds."""
        body = self.tree.body
        if body is None:
            return
        texts: list[tuple[str, bool]] = []  # (text, inside a link)
        # (node, inside a link, inside code, text index when leaving else -1, element ancestors)
        stack: list[tuple[LexborNode, bool, bool, int, tuple[int, ...]]] = [(body, False, False, -1, ())]
        pending: list[tuple[LexborNode, tuple[int, ...], str]] = []
        spans: dict[int, tuple[int, int]] = {}
        while stack:
            node, in_link, opaque, start, chain = stack.pop()
            if start >= 0:  # leaving an element: its text nodes are texts[start:]
                spans[node.mem_id] = (start, len(texts))
                continue
            if node.is_text_node:
                value = node.text_content or ""
                if value.strip():
                    texts.append((value, in_link))
                continue
            tag = node.tag or ""
            if not node.is_element_node or tag in _SKIP or tag.startswith("_"):
                continue
            selector = None if opaque or tag in _NEVER else selector_for(node)
            if selector:
                pending.append((node, chain, selector))
            stack.append((node, in_link, opaque, len(texts), chain))
            inner = (*chain, node.mem_id)
            link, code = in_link or tag == "a", opaque or tag in _OPAQUE
            for child in reversed(list(node.iter(include_text=True))):
                stack.append((child, link, code, -1, inner))
        self.body_words = _words(" ".join(t for t, _ in texts))
        for node, chain, selector in pending:
            begin, end = spans.get(node.mem_id, (0, 0))
            if begin == end:
                continue
            part = texts[begin:end]
            text = _norm(" ".join(t for t, _ in part))
            fixed = _MASK.sub("#", _norm(" ".join(t for t, link in part if not link)))
            self.boxes.append(_Box(selector, node.tag or "", text, fixed, _words(text),
                                   _words(" ".join(t for t, link in part if link)), node.mem_id, chain))

    @property
    def lines(self) -> list[str]:
        """The article's lines as the text rules see them: each block, or each line of a block
        that has several (a ``line`` rule is tried on both)."""
        return [text for text, _ in self.units]

    @property
    def units(self) -> list[tuple[str, str]]:
        """``lines`` with the kind of block each comes from."""
        if self._units is None:
            self._units = [(_norm(line), block.kind) for block in self.article.blocks
                           for line in (block.text.split("\n") if block.kind not in ("table", "code")
                                        else [block.text]) if line.strip()]
        return self._units


def _shingles(text: str, n: int = 8) -> set[tuple[str, ...]]:
    toks = _WORD.findall(text.lower())
    return {tuple(toks[i:i + n]) for i in range(max(len(toks) - n + 1, 0))}


def _distinct(samples: Sequence[Sample]) -> list[Sample]:
    """The samples with duplicates left out: the same canonical URL, or the same story (half the
    article's 8-word shingles shared), counts once."""
    kept: list[Sample] = []
    seen_urls: set[str] = set()
    kept_shingles: list[set[tuple[str, ...]]] = []
    for sample in samples:
        key = (sample.canonical or sample.url or "").rstrip("/")
        if key and key in seen_urls:
            continue
        grams = _shingles(sample.article.text)
        if grams and any(len(grams & other) >= DUPLICATE_OVERLAP * min(len(grams), len(other))
                         for other in kept_shingles if other):
            continue
        if key:
            seen_urls.add(key)
        kept.append(sample)
        kept_shingles.append(grams)
    return kept


# ---------------------------------------------------------------------------------- result
@dataclass(frozen=True)
class LearnedRules(Rules):
    """The learned pack as :class:`newsclean.Rules` (add it to the shipped rules), with its TOML.

    ``pages`` is how many sample pages were given, ``distinct`` how many counted (duplicates out);
    ``cleaned[i]`` is page ``i`` cleaned with the shipped rules plus this pack when learning
    already did that cleaning (a batch reuses it), else None.
    """

    host: str = ""
    pages: int = 0
    distinct: int = 0
    cleaned: tuple[Article | None, ...] = field(default=(), compare=False, repr=False)

    @property
    def pack(self) -> Pack:
        """The one learned pack."""
        return self.packs[0]

    def to_toml(self) -> str:
        """The pack as TOML text, the format of ``newsclean/packs/*.toml``."""
        pack = self.pack
        out = [f"# Learned by newsclean from {self.distinct} distinct of {self.pages} pages of {self.host}:",
               "# the blocks that recur across them and are not article text. Review before committing;",
               "# `learned = true` keeps the prose guard on its selectors (docs/learned-rules.md).",
               "", "[pack]", f"id = {_toml(pack.id)}", f"domains = [{', '.join(map(_toml, pack.domains))}]",
               "learned = true"]
        for rule in pack.rules:
            out += ["", "[[rule]]", f"id = {_toml(rule.id)}", f"kind = {_toml(rule.kind)}",
                    f"patterns = [{', '.join(map(_toml, rule.patterns))}]", f"why = {_toml(rule.why)}"]
        return "\n".join(out) + "\n"


def _toml(value: str) -> str:
    """A TOML string: literal (``'...'``, backslashes kept as written) when it can be, else basic.

    >>> print(_toml(r"Sign up \\(free\\)"), _toml("it's"))
    'Sign up \\(free\\)' "it's"
    """
    if "'" not in value and not any(ord(c) < 32 or c == "\x7f" for c in value):
        return f"'{value}'"
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + "".join(c if ord(c) >= 32 and c != "\x7f" else f"\\u{ord(c):04x}" for c in escaped) + '"'


def host_of(url: str | None) -> str:
    """A URL's host, lower case, without ``www.``.

    >>> host_of("https://WWW.GBNews.com/news/x")
    'gbnews.com'
    """
    host = (urlsplit(url).hostname or "").lower() if url else ""
    return host[4:] if host.startswith("www.") else host


# ---------------------------------------------------------------------------------- learn
def learn(
    pages: Iterable[Page | Sample],
    host: str | None = None,
    *,
    rules: Rules | None = None,
    options: Options | None = None,
    articles: Sequence[Article] | None = None,
    min_share: float = MIN_SHARE,
    check: bool = True,
) -> LearnedRules:
    """Learn the furniture of one site from two or more of its pages: a rule pack for ``host``.

    ``pages``: each page's HTML (``str`` or ``bytes``), or ``(html, url)`` pairs (``url`` may be
    None), or :class:`Sample` objects; ``host``: the site, else the most common host of the
    pages' URLs or canonical links; ``rules``: what the pages are cleaned with besides the
    learned pack (default: the shipped packs), with ``options``; ``articles``: the pages already
    cleaned so, in the same order, to save cleaning them again; ``min_share``: the share of the
    distinct pages a block must recur on; ``check``: clean the pages again with the learned
    rules and drop any rule that made a page lose text of its own (the extractor can pick
    another container when a box goes). Raises ``ValueError`` with fewer than two pages or no
    host. The result is :class:`newsclean.Rules` holding the one learned pack: add it to the
    shipped rules (``Rules.default() + learned``), or write ``learned.to_toml()`` to a file.
    """
    base = rules or Rules.default()
    samples: list[Sample] = []
    for i, item in enumerate(pages):
        if isinstance(item, Sample):
            samples.append(item)
            continue
        html, url = item if isinstance(item, tuple) else (item, None)
        done = articles[i] if articles is not None else None
        samples.append(Sample.of(html, url, done, rules=base, options=options))
    if len(samples) < 2:
        raise ValueError(f"learn() needs at least 2 pages of a site, got {len(samples)}")
    if host is None:
        hosts = Counter(h for s in samples for h in [host_of(s.url) or host_of(s.canonical)] if h)
        if not hosts:
            raise ValueError("learn() needs host= when no page has a URL or a canonical link")
        host = hosts.most_common(1)[0][0]
    host = host_of(f"//{host.strip().lstrip('.')}") or host.lower()
    distinct = _distinct(samples)
    learned: list[Rule] = []
    checked: _Checked = {}
    if len(distinct) >= MIN_PAGES:
        need = max(MIN_PAGES, -(-int(min_share * 100) * len(distinct) // 100))
        # numbered before the check, so that its cleanings are the final ones (a gap in the
        # numbers is a rule the check dropped)
        learned = [Rule(id=f"learned.{host}.{n}", kind=r.kind, patterns=r.patterns, why=r.why)
                 for n, r in enumerate(_learn_rules(distinct, need), 1)]
        if check and learned:
            learned, checked = _check_on_samples(distinct, learned, base, host, options)
    pack = _pack(host, learned)
    final = tuple(r.id for r in learned)
    index = {id(s): i for i, s in enumerate(distinct)}
    cleaned: list[Article | None] = []
    for sample in samples:
        check_done = checked.get(index.get(id(sample), -1))
        if not any(_touches(sample, rule) for rule in learned):
            cleaned.append(sample.article)  # no learned rule matches: the same article
        else:
            cleaned.append(check_done[1] if check_done and check_done[0] == final else None)
    return LearnedRules(packs=(pack,), host=host, pages=len(samples), distinct=len(distinct),
                        cleaned=tuple(cleaned))


def _learn_rules(samples: Sequence[Sample], need: int) -> list[Rule]:
    """Candidate rules (ids not yet numbered): template boxes first, then furniture lines."""
    n = len(samples)
    # 1. which (selector, fixed text) pairs recur: the fixed text of a template box is the same
    #    on many pages; link-only boxes ("" outside links) recur by their selector alone.
    pair_pages: dict[tuple[str, str], set[int]] = defaultdict(set)
    selector_pages: dict[str, set[int]] = defaultdict(set)
    line_pages: dict[str, set[int]] = defaultdict(set)
    for i, sample in enumerate(samples):
        for box in sample.boxes:
            pair_pages[(box.selector, box.fixed)].add(i)
            selector_pages[box.selector].add(i)
        for line in sample.lines:
            line_pages[line].add(i)

    def recurring(box: _Box) -> bool:
        return len(pair_pages[(box.selector, box.fixed)]) >= need

    def own_text_ok(box: _Box) -> bool:  # a page's own text outside links: a date or a count at most
        return len(box.fixed) <= MAX_UNIQUE_CHARS and len(_ALPHA_WORD.findall(box.fixed)) <= 1

    # 2. template selectors: on enough pages, and every element they name holds only recurring
    #    text (or a little of the page's own: a date, a count).
    template: dict[str, set[int]] = {}
    for selector, where in selector_pages.items():
        if len(where) < need:
            continue
        found: set[int] = set()
        odd: set[int] = set()  # pages where it holds a short box of their own (a rare promo)
        ok = True
        for i in where:
            for box in samples[i].boxes:
                if box.selector != selector:
                    continue
                if recurring(box):
                    found.add(i)
                elif own_text_ok(box):
                    continue
                elif box.words <= ODD_WORDS and not is_prose(box.fixed):
                    odd.add(i)
                else:
                    ok = False
                    break
            if not ok:
                break
        if ok and len(found) >= need and len(odd) <= ODD_SHARE * n:
            template[selector] = found
    # 3. the outermost template boxes (one inside another goes with it) that take text out of the
    #    article, never much of it, and are not a label or heading of the page's own content.
    chosen: list[tuple[str, set[int], str, set[str]]] = []
    inside: list[set[int]] = [{b.mem_id for b in s.boxes if b.selector in template} for s in samples]
    for selector, where in template.items():
        outers: list[_Box] = []
        leaked: set[str] = set()
        outer_pages = leaked_pages = 0
        safe = True
        description = ""
        for i in where:
            sample = samples[i]
            boxes = [b for b in sample.boxes if b.selector == selector]
            outer = [b for b in boxes if not any(a in inside[i] for a in b.ancestors)]
            if not outer:
                continue
            outers += outer
            outer_pages += 1
            gone = _leaked(sample, boxes)
            leaked_pages += bool(gone)
            leaked.update(gone)
            if sum(_words(t) for t in gone) > MAX_ARTICLE_SHARE * max(sample.article.word_count, 1):
                safe = False
            description = description or _describe(sample, outer[0])
        if not safe or outer_pages < need or leaked_pages == 0:
            continue
        if all(b.words <= SHORT_WORDS for b in outers):
            continue  # a label or a heading over the page's own content ("Condition:", "Developer: X")
        if all(not b.fixed for b in outers) and len(outers) > outer_pages:
            continue  # items of a list (one link each) whose own box is not template: the page's own list
        if not _checked(selector, samples, template):
            continue
        chosen.append((selector, where, description, leaked))
    rules: list[Rule] = []
    covered: set[str] = set()
    for selector, where, description, leaked in sorted(chosen, key=lambda c: (-len(c[1]), c[0])):
        covered |= leaked
        rules.append(Rule(id="learned", kind="selector", patterns=(selector,),
                          why=f"on {len(where)} of {n} pages: {description}"))
    # 4. furniture lines that leaked and no selector took: the same line on enough pages, not
    #    prose, not a heading or label over the page's own text, not inside the page's own text.
    for line, where in sorted(line_pages.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        if len(where) < need or line in covered or not _line_ok(line, samples, where, line_pages):
            continue
        rules.append(Rule(id="learned", kind="line", patterns=(re.escape(_norm_line(line)),),
                          why=f"on {len(where)} of {n} pages: line '{_short(line)}'"))
    return rules


def _pack(host: str, rules: Sequence[Rule]) -> Pack:
    return Pack(id=f"learned.{host}", rules=tuple(rules), domains=(host,), source=f"learned:{host}",
                learned=True)


_Checked = dict[int, tuple[tuple[str, ...], Article]]


def _check_on_samples(samples: Sequence[Sample], rules: list[Rule], base: Rules, host: str,
                      options: Options | None) -> tuple[list[Rule], _Checked]:
    """Clean every sample again with the rules; a page that loses text of its own that no rule
    named (the extractor chose another container, or a rule took more than it showed) has its
    rules tried one by one, and those that do it are dropped. Also returns, per sample, the ids
    of the rules it was last cleaned with and that article (reused when they are the final ones)."""
    recurring = Counter(line for s in samples for line in set(s.lines))
    kept = list(rules)
    cleaned: dict[int, tuple[tuple[str, ...], Article]] = {}
    for n, sample in enumerate(samples):
        hits = {i for i, rule in enumerate(kept) if _touches(sample, rule)}
        if not hits:
            continue
        lost, article = _own_loss(sample, [kept[i] for i in hits], kept, base, host=host, recurring=recurring,
                                  options=options)
        if lost == 0:
            cleaned[n] = (tuple(r.id for r in kept), article)
            continue
        bad = {i for i in hits
               if _own_loss(sample, [kept[i]], [kept[i]], base, host=host, recurring=recurring,
                            options=options)[0] > 0}
        kept = [rule for i, rule in enumerate(kept) if i not in (bad or hits)]
    return kept, cleaned


def _touches(sample: Sample, rule: Rule) -> bool:
    if rule.kind == "selector":
        return sample.tree.css_first(rule.patterns[0]) is not None
    pattern = re.compile(rule.patterns[0], re.IGNORECASE)
    return any(pattern.fullmatch(_norm_line(line)) for line in sample.lines)


def _own_loss(sample: Sample, named: Sequence[Rule], rules: Sequence[Rule], base: Rules, *, host: str,
              recurring: Counter[str], options: Options | None) -> tuple[int, Article]:
    """Words of the sample's own article lines that cleaning with ``rules`` loses, beyond the text
    that ``named`` rules match on the page (0 within a small tolerance), and that cleaning."""
    after = clean(sample.html, sample.url, rules=base + Rules((_pack(host, rules),)), options=options)
    text = " " + _norm(after.text) + " "
    matched: list[str] = []
    for rule in named:
        if rule.kind == "selector":
            nodes = sample.tree.css(rule.patterns[0])
            matched += [_norm(node.text(deep=True, separator=" ")) for node in nodes]
    lost = 0
    for line in sample.lines:
        if recurring[line] >= 2 or line in text or any(line in m for m in matched):
            continue
        lost += _words(line)
    return (lost if lost > 3 + 0.02 * sample.article.word_count else 0), after


def _leaked(sample: Sample, boxes: Sequence[_Box]) -> list[str]:
    """The article lines of ``sample`` that these boxes hold: what removing them changes."""
    if not boxes:
        return []
    texts = [b.text for b in boxes]
    return [line for line in sample.lines if line and any(line in t for t in texts)]


def _checked(selector: str, samples: Sequence[Sample], template: dict[str, set[int]]) -> bool:
    """The CSS selector, run by Lexbor, names only template boxes (``div.a`` also matches
    ``div.a.b``), and never the article's container or most of a page."""
    for sample in samples:
        by_id = {b.mem_id: b for b in sample.boxes}
        for node in sample.tree.css(selector):
            if node.tag in ("body", "html", "main", "article") or node.css_first(_CONTAINER) is not None:
                return False
            box = by_id.get(node.mem_id)
            if box is None:
                continue  # no text, or inside skipped markup
            if box.selector not in template and len(box.fixed) > MAX_UNIQUE_CHARS:
                return False
            if sample.body_words > 200 and box.words > 0.5 * sample.body_words:
                return False
    return True


def _line_ok(line: str, samples: Sequence[Sample], where: set[int], line_pages: dict[str, set[int]]) -> bool:
    """A recurring article line that is furniture: a short line of two or more words that is not
    prose, not a fragment (lower case start) or a label (ends with ':'), not a heading, and on
    none of its pages a label over the page's own text or sandwiched inside it."""
    text = _norm_line(line)
    if not text or len(text) > MAX_LINE_CHARS or _words(text) < 2 or is_prose(text):
        return False
    first = next((c for c in text if c.isalpha()), "")
    if not first or first.islower() or line.rstrip().endswith((":", ",", ";")):
        return False

    def own(k: int, lines: list[str]) -> bool:  # a line of the page's own text
        return 0 <= k < len(lines) and len(line_pages[lines[k]]) < 2

    for i in where:
        units = samples[i].units
        lines = samples[i].lines
        for j, (current, kind) in enumerate(units):
            if current != line:
                continue
            if kind in ("heading", "table", "code"):
                return False
            if own(j - 1, lines) and own(j + 1, lines):
                return False  # inside the page's own text
            if own(j + 1, lines) and _words(lines[j + 1]) >= 8 and _words(line) <= 6:
                return False  # a label over the page's own text ("Pros", "Why trust us")
    return True


def _describe(sample: Sample, box: _Box) -> str:
    """What a person sees: a link list under its heading, or the start of the box's text."""
    node = _node(sample, box.mem_id)
    heading = None
    if node is not None:
        first = node.css_first("h1, h2, h3, h4, h5, h6, [role=heading], strong, b")
        if first is not None:
            heading = _norm(first.text(deep=True, separator=" "))
        links = sum(len(_norm(a.text(deep=True, separator=" "))) for a in node.css("a"))
        if heading and box.text and links >= 0.5 * len(box.text) and len(heading) <= 80:
            return f"link list under heading '{_short(heading, 60)}'"
        if not box.fixed and box.text:
            return f"link list '{_short(box.text, 60)}'"
    return f"box '{_short(box.text, 70)}'"


def _node(sample: Sample, mem_id: int) -> LexborNode | None:
    body = sample.tree.body
    if body is None:
        return None
    for node in body.traverse():
        if node.mem_id == mem_id:
            return node
    return None


def _short(text: str, limit: int = 70) -> str:
    text = _norm(text).replace("'", "’")
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


_CANONICAL = re.compile(
    r"""<link\b[^>]*?\brel\s*=\s*["']?canonical\b[^>]*>|<meta\b[^>]*?\bproperty\s*=\s*["']?og:url\b[^>]*>""",
    re.IGNORECASE)
_HREF = re.compile(r"""\b(?:href|content)\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)


def page_host(html: str | bytes, url: str | None = None) -> str:
    """The site a page belongs to: its URL's host, else its canonical link's (``<link
    rel=canonical>`` or ``og:url`` in the first 64 KB), without ``www.``; "" when neither says.

    >>> page_host('<link rel="canonical" href="https://www.gazette.example/a">'), page_host("<p>x</p>")
    ('gazette.example', '')
    """
    if host_of(url):
        return host_of(url)
    head = html[:65536].decode("latin-1") if isinstance(html, bytes) else html[:65536]
    for tag in _CANONICAL.finditer(head):
        href = _HREF.search(tag.group(0))
        if href and href.group(1).lower().startswith(("http://", "https://")):
            return host_of(href.group(1))
    return ""
