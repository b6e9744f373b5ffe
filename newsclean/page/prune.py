"""Structural rules: remove furniture nodes from the parsed page, recording each.

Runs on a selectolax (Lexbor) tree before main-content extraction, so trafilatura
sees a smaller, cleaner page. A node holding most of the page's text, or the
article container itself, is never removed (the safeguard).

The work is bounded: reading a candidate's text, its links or its ancestors is charged
to a budget of :data:`WORK_PER_CHAR` times the page's text (and :data:`MIN_WORK`), and the
rules stop where it runs out (hundreds of nested share boxes around a long text would
otherwise have their text read once per level); the ``deadline`` is checked as they go.

>>> from selectolax.lexbor import LexborHTMLParser
>>> from newsclean.rules import Rules
>>> tree = LexborHTMLParser('<body><article><p>Body text here.</p>'
...     '<div class="c-share-bar">Share on Facebook</div></article></body>')
>>> removed = prune(tree, Rules.default().compile())
>>> [r.rule for r in removed], tree.body.text()
(['generic.token.share'], 'Body text here.')
"""

from __future__ import annotations

import contextlib
import functools
import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from newsclean.article import Removal
from newsclean.page.dom import INLINE_TAGS, distinct, next_element, node_text
from newsclean.page.limits import Deadline
from newsclean.rules import CompiledRules, name_words

__all__ = ["MIN_WORK", "TEASER_LINK", "WORK_PER_CHAR", "prune", "safe_prune"]

WORK_PER_CHAR = 16
"""The pruning budget, per character of the page's text: characters of text read and
ancestors walked (real pages: at most ~3)."""

MIN_WORK = 200_000
"""The pruning budget however little text the page has."""

_KNOWN_START = 2_000  # characters of the page's raw text collapsed up front (more when needed)
_PROTECTED_TAGS = frozenset({"html", "head", "body", "main", "article"})
_CONTAINER = "article, main, [itemprop=articleBody], [itemprop=articlebody]"
_NAMED = "[class], [id], [data-component], [data-module], [data-testid], [data-widget], [data-type]"
_NAME_ATTRS = ("class", "id", "data-component", "data-module", "data-testid", "data-widget", "data-type")
_HEADINGS = (
    "h1, h2, h3, h4, h5, h6, [role=heading], strong, b, p, span, dt, "
    "div[class*=title], div[class*=head], div[class*=label], div[class*=Title], div[class*=Head]"
)
_SILENT = frozenset({"generic.node.code"})
_MATH = frozenset({"math", "mjx-container"})
_LEADS_ON = frozenset(",;:(\"'“‘«„")
_READS_ON = frozenset(",.;:!?)\"'”’»")
_HEADLINE_LINKS = "h2 a[href], h3 a[href], h4 a[href], h5 a[href]"
_CARD_HEADINGS = "h2, h3, h4, h5"
_MAX_RECORD = 300
_MAX_HEADING = 80
_HIDDEN_RULE = "generic.node.hidden"
_PROBE = 200  # characters of a hidden block's text looked for elsewhere on the page
TEASER_LINK = "structure.teaser-link"
"""The id recorded for a paragraph that is only a link to another article of the site."""
_WRAPPING = " [](){}«»“”\"'"  # what may stand around the link: brackets, quotes
_NOT_ARTICLE_PATH = re.compile(
    r"(?:^/?$|^/(?:tags?|topics?|category|categories|author|authors|search|section|sections)(?:/|$)"
    r"|\.(?:pdf|jpe?g|png|gif|webp|mp[34]|zip|docx?|xlsx?)$)", re.IGNORECASE)
_TEASER_WORDS = (3, 30)  # words a teaser headline has
_PROSE = 80  # characters of a paragraph of prose beside a teaser


_DETACHED = -1  # the mark of a node known to be out of the tree (removals only count up)


class _OutOfWork(Exception):
    """The pruning budget is spent: the rules stop, what they removed stays removed."""


class _Pruner:
    def __init__(self, tree: LexborHTMLParser, rules: CompiledRules, deadline: Deadline | None,
                 url: str | None = None) -> None:
        self.tree = tree
        self.rules = rules
        self.root = tree.root
        self.url = url
        self.deadline = deadline or Deadline(None)
        body = tree.body
        # The page's text (whitespace collapsed, as node_text gives it) is measured only as far
        # as a decision needs: the collapsed length of a start of it is a lower bound.
        self._raw = (body.text(deep=True, separator=" ") or "") if body is not None else ""
        self._body_text: str | None = None  # collapsed whole, once asked for
        self._read = 0  # characters of the raw text measured so far (a start of it)
        self._at_least = 0  # the length of that start collapsed: the page's text has at least this
        self.work = MIN_WORK  # and WORK_PER_CHAR for each character of the page's text known
        self._read_more()
        self.removed: list[Removal] = []
        self._holders: dict[str, set[int]] = {}  # selector -> mem_id of each match and its ancestors
        self._root_id = self.root.mem_id if self.root is not None else None
        # mem_id -> the removal count when it was last seen attached, or _DETACHED (for good)
        self._seen: dict[int, int] = {}
        self._removals = 0

    @property
    def body_text(self) -> str:
        """The page's text, whitespace collapsed (:func:`node_text` of the body)."""
        if self._body_text is None:
            self._body_text = " ".join(self._raw.split())
        return self._body_text

    @property
    def body_len(self) -> int:
        """The length of :attr:`body_text`."""
        self._measure_all()
        return self._at_least

    def _measure_all(self) -> None:
        """Measure the raw text to its end (the budget then holds for the whole text)."""
        while self._read < len(self._raw):
            self._read_more()

    def _read_more(self) -> None:
        """Measure the raw text on to four times as far (at first :data:`_KNOWN_START`
        characters): the collapsed length of a start bounds the whole's from below, and the
        budget grows with it. Each stretch is collapsed once: its words join the start's, with
        a space unless a word runs across the cut."""
        end = min(len(self._raw), max(_KNOWN_START, 4 * self._read))
        stretch = self._raw[self._read:end]
        added = len(" ".join(stretch.split()))
        if added and self._at_least and (self._raw[self._read - 1].isspace() or stretch[0].isspace()):
            added += 1  # the space between the start's last word and the stretch's first
        self._read = end
        self._at_least += added
        self.work += WORK_PER_CHAR * added

    def charge(self, work: int) -> None:
        """Spend ``work`` of the budget; :class:`_OutOfWork` once it is gone (the budget of the
        page's whole text, counted now if it was not)."""
        self.work -= work
        if self.work < 0:
            self._measure_all()
            if self.work < 0:
                raise _OutOfWork

    def most_of_page(self, chars: int) -> bool:
        """Whether ``chars`` characters of text are most of a page of more than 1,000 (the page's
        text measured only as far as that takes)."""
        while self._read < len(self._raw) and (chars > 0.5 * self._at_least or self._at_least <= 1000):
            self._read_more()
        return self._at_least > 1000 and chars > 0.5 * self._at_least

    def over_1000(self) -> bool:
        """Whether the page's text has more than 1,000 characters (measured only as far as that takes)."""
        while self._read < len(self._raw) and self._at_least <= 1000:
            self._read_more()
        return self._at_least > 1000

    def text(self, node: LexborNode) -> str:
        """:func:`node_text`, charged."""
        text = node_text(node)
        self.charge(len(text) + 1)
        return text

    def holds(self, node: LexborNode, selector: str) -> bool:
        """Whether ``node`` is or contains an element matching ``selector`` (``css_first``
        reads the whole subtree; this reads the page once, then only a set)."""
        holders = self._holders.get(selector)
        if holders is None:
            holders = self._holders[selector] = set()
            for found in self.tree.css(selector):
                current: LexborNode | None = found
                while current is not None and current.mem_id not in holders:
                    holders.add(current.mem_id)
                    current = current.parent
                    self.charge(1)
        return node.mem_id in holders

    def attached(self, node: LexborNode) -> bool:
        """Whether ``node`` is still in the tree (no ancestor of it was removed). Ancestors
        walked are remembered until the next removal, so nested candidates cost their depth
        once, not once each."""
        path: list[int] = []
        current: LexborNode | None = node
        found = False
        seen, removals, root_id = self._seen, self._removals, self._root_id
        while current is not None:
            key = current.mem_id
            epoch = seen.get(key)
            if epoch in (removals, _DETACHED):
                found = epoch != _DETACHED
                break
            if key == root_id:
                found = True
                break
            path.append(key)
            current = current.parent
        self.charge(len(path))  # before caching: out of work, nothing is remembered
        verdict = removals if found else _DETACHED
        for key in path:
            seen[key] = verdict
        return found

    def protected(self, node: LexborNode, text: str | None = None, rule: str | None = None) -> bool:
        """The article container, or a node holding most of the page's text (``text``: its
        text, when the caller has it already); but not a hidden copy of text the page shows
        elsewhere (``rule``: the rule asking)."""
        if node.tag in ("html", "head", "body"):
            return True
        holds = node.tag in _PROTECTED_TAGS or self.holds(node, _CONTAINER)
        if not holds and self.over_1000():
            text = self.text(node) if text is None else text
            holds = self.most_of_page(len(text))
        if not holds:
            return False
        return not (rule == _HIDDEN_RULE and self.copied(self.text(node) if text is None else text))

    def remove(self, node: LexborNode, rule: str, kind: str, by_name: bool = False) -> bool:
        if node.tag in ("script", "style"):  # code: never the article, never recorded
            node.remove()
            return True
        if self.root is None or not self.attached(node):
            return False
        text = self.text(node)
        if self.protected(node, text, rule):
            return False
        if by_name and self.content_like(node, text):
            return False
        if rule not in _SILENT and text:
            short = text if len(text) <= _MAX_RECORD else text[: _MAX_RECORD - 1] + "…"
            self.removed.append(Removal(rule, kind, short))
        node.remove()
        self._seen[node.mem_id] = _DETACHED
        self._removals += 1
        return True

    def copied(self, text: str) -> bool:
        """Whether the page's text holds the start of ``text`` twice: a hidden block that
        repeats the article (a print or app copy) is a copy, whatever it holds."""
        probe = text[:_PROBE]
        if len(probe) < _PROBE:
            return False
        first = self.body_text.find(probe)
        self.charge(self.body_len)
        return first >= 0 and self.body_text.find(probe, first + 1) >= 0

    def teaser_links(self) -> None:
        """Remove each paragraph that is only a link (in brackets or quotes, perhaps) to another
        article of the same site, set between paragraphs of prose: a teaser inside the body (a
        labelled one, "Read more: …", is the text rules' to judge). A run of such paragraphs is
        a list, and is left to the extractor to judge."""
        body = self.tree.body
        if body is None or not self.url:
            return
        page = urlsplit(self.url)
        if not page.hostname:
            return
        for i, para in enumerate(body.css("p")):
            if not i % 256:
                self.deadline.check("extraction")
            links = para.css("a[href]")
            self.charge(len(links) + 1)
            if len(links) != 1:
                continue
            text = self.text(para)
            link_text = self.text(links[0])
            if not _TEASER_WORDS[0] <= len(link_text.split()) <= _TEASER_WORDS[1]:
                continue
            at = text.find(link_text)
            if at < 0 or text[:at].strip(_WRAPPING) or text[at + len(link_text):].strip(_WRAPPING + ".»›"):
                continue
            if not _other_article(links[0].attributes.get("href") or "", self.url, page.hostname, page.path):
                continue
            neighbours = [n for n in (_element_sibling(para, -1), _element_sibling(para, 1)) if n is not None]
            if any(self.prose(n) for n in neighbours) and not any(self.lone_link(n) for n in neighbours):
                self.remove(para, TEASER_LINK, "teaser")

    def prose(self, node: LexborNode) -> bool:
        """A paragraph of the article's prose: :data:`_PROSE` characters, few of them linked."""
        if node.tag != "p":
            return False
        text = self.text(node)
        return len(text) >= _PROSE and self.linked_chars(node) < 0.3 * len(text)

    def lone_link(self, node: LexborNode) -> bool:
        """A paragraph that is one link, like the one judged: then both are items of a list."""
        if node.tag != "p":
            return False
        links = node.css("a")
        self.charge(len(links))
        return len(links) == 1 and len(self.text(links[0])) >= 0.8 * len(self.text(node))

    def selectors(self, only_code: bool = False) -> None:
        for rule, css in self.rules.selectors:
            if only_code and rule not in _SILENT:
                continue
            sieve = _sieve(css)
            if sieve is not None and not sieve.may_match(self.tree):
                continue
            for i, node in enumerate(self.tree.css(css)):
                if not i % 64:
                    self.deadline.check("extraction")
                # a learned selector may not take prose either
                self.remove(node, rule, "node", by_name=rule in self.rules.guarded)

    def tokens(self) -> None:
        body = self.tree.body
        if body is None:
            return
        # a page repeats its class names many times over; three in four are new to the next page
        # (ids, generated names), so an lru_cache across pages costs more than it saves
        seen: dict[str, str | None] = {}
        # an element with a class and an id comes twice from Lexbor (once a selector it matches):
        # one in ten; judged once
        for i, node in enumerate(distinct(body.css(_NAMED))):
            if not i % 256:
                self.deadline.check("extraction")
            attrs = node.attributes
            for name in _NAME_ATTRS:
                value = attrs.get(name)
                if not value:
                    continue
                if value in seen:
                    rule = seen[value]
                else:
                    rule = seen[value] = self.rules.match_tokens(name_words(value))
                if rule:
                    self.remove(node, rule, "node", by_name=True)
                    break

    def headings(self) -> None:
        body = self.tree.body
        if body is None:
            return
        verdicts: dict[str, str | None] = {}  # a page repeats its labels ("Share", "Read more")
        for i, node in enumerate(body.css(_HEADINGS)):
            if not i % 256:
                self.deadline.check("extraction")
            text = self.text(node)
            if not text or len(text) > _MAX_HEADING:
                continue
            if text in verdicts:
                rule = verdicts[text]
            else:
                rule = verdicts[text] = self.rules.match_heading(text)
            if rule is None or self.root is None or not self.attached(node):
                continue
            container = self.widget(node)
            if container is node:
                sibling = next_element(node)
                if sibling is not None and self.link_density(sibling) >= 0.5:
                    self.remove(sibling, rule, "widget", by_name=True)
            # headline cards under a widget heading are teasers, however much summary text
            self.remove(container, rule, "widget", by_name=not self.teaser_cards(container))

    def widget(self, heading: LexborNode) -> LexborNode:
        """The teaser box a widget heading introduces: link-dense ancestors, a few levels up."""
        container, node = heading, heading.parent
        for _ in range(4):
            if node is None or node.tag in _PROTECTED_TAGS:
                break
            text = self.text(node)
            if self.protected(node, text) or len(text) > 3000:
                break
            if len(text) > 250 and self.link_density(node) < 0.5:
                if self.teaser_cards(node):
                    container = node
                break
            container, node = node, node.parent
        return container

    def linked_chars(self, node: LexborNode) -> int:
        """Characters of text inside the node's links, charged."""
        links = node.css("a")
        self.charge(len(links))
        return sum(len(self.text(a)) for a in links)

    def link_density(self, node: LexborNode) -> float:
        """The share of the node's text that sits in links, charged."""
        total = len(self.text(node))
        return min(self.linked_chars(node) / total, 1.0) if total else 0.0

    def teaser_cards(self, node: LexborNode) -> bool:
        """:func:`_teaser_cards`, charged."""
        self.charge(len(node.css("a")))
        return _teaser_cards(node)

    def content_like(self, node: LexborNode, text: str) -> bool:
        """Content, not furniture, whatever its class name says: prose (500+ characters of
        text, under a third of it in links), a formula (MathJax marks each one
        ``CtxtMenu_Attached``: no menu), or words inside a sentence (``I am a <a
        class="popup">rather elderly</a> man``: an annotation link, no pop-up).

        A class name can lie (``class="entry-meta"`` around a whole article); text can't.
        """
        if node.tag in _MATH or self.holds(node, "math") or _in_sentence(node):
            return True
        if len(text) < 500:
            return False
        linked = self.linked_chars(node)
        return len(text) - linked >= 500 and linked < 0.3 * len(text)


_ATTRIBUTE_PART = re.compile(
    r"([a-z][a-z0-9]*) \[([a-zA-Z][a-zA-Z0-9-]*)\*?=(?:'([^'\]]*)'|\"([^\"\]]*)\"|([^\]'\"\s]+))\]")


@dataclass(frozen=True)
class _Sieve:
    """A cheap test that a selector list of ``ancestor [attribute=value]`` and ``ancestor
    [attribute*=value]`` parts matches nothing: Lexbor tries every substring of such a list
    on every element (a dozen of them cost four walks of the tree), while the elements that
    have the attributes under the ancestors are few, and a test of their values in Python
    (a looser one: any case, any substring) is quick. When it finds a candidate, the selector
    itself decides.

    >>> sieve = _sieve("p [class*=tooltip-text], p [role=tooltip]")
    >>> sieve.css, sieve.values
    ('p [class], p [role]', (('class', 'tooltip-text'), ('role', 'tooltip')))
    >>> [sieve.may_match(LexborHTMLParser(page)) for page in (
    ...     '<p>A <span class="x">word</span></p><div class="Tooltip-Text">tip</div>',
    ...     '<p>A <span class="c-Tooltip-Text-x">word</span></p>')]
    [False, True]
    >>> _sieve("nav, [role=navigation]") is None
    True
    """

    css: str
    values: tuple[tuple[str, str], ...]  # (attribute, the value or a part of it, lower case)

    def may_match(self, tree: LexborHTMLParser) -> bool:
        """Whether an element of ``tree`` may match the selector (``False``: surely none)."""
        for node in tree.css(self.css):
            attrs = node.attributes
            for name, value in self.values:
                found = attrs.get(name)
                if found and value in found.lower():
                    return True
        return False


@functools.lru_cache(maxsize=64)
def _sieve(css: str) -> _Sieve | None:
    """The :class:`_Sieve` of a selector list, or ``None`` when it is not of that form."""
    parts = [_ATTRIBUTE_PART.fullmatch(part.strip()) for part in css.split(",")]
    if not parts or any(m is None for m in parts):
        return None
    matches = [m for m in parts if m is not None]
    wanted = dict.fromkeys(f"{m.group(1)} [{m.group(2)}]" for m in matches)
    values = tuple(dict.fromkeys(
        (m.group(2).lower(), next(v for v in m.groups()[2:] if v is not None).lower()) for m in matches))
    return _Sieve(", ".join(wanted), values)


def _element_sibling(node: LexborNode, step: int) -> LexborNode | None:
    """The previous (``step`` -1) or next (1) sibling that is an element."""
    sibling = node.prev if step < 0 else node.next
    while sibling is not None and not sibling.is_element_node:
        sibling = sibling.prev if step < 0 else sibling.next
    return sibling


def _other_article(href: str, url: str, host: str, path: str) -> bool:
    """Whether ``href`` (on the page at ``url``) leads to another article of the same site: the
    same host (``www.`` aside), another path, not the home page, a section, a tag or a file.

    >>> page = "https://www.example.com/news/2024/storm-hits"
    >>> [_other_article(h, page, "www.example.com", "/news/2024/storm-hits") for h in (
    ...     "/news/2024/flood-warning", "https://example.com/sport/match-report", "/news/2024/storm-hits#top",
    ...     "https://other.org/news/story", "/", "/tag/weather", "mailto:desk@example.com")]
    [True, True, False, False, False, False, False]
    """
    try:
        target = urlsplit(urljoin(url, href.strip()))
    except ValueError:
        return False
    if target.scheme not in ("http", "https") or not target.hostname:
        return False
    if target.hostname.removeprefix("www.") != host.removeprefix("www."):
        return False
    return target.path.rstrip("/") != path.rstrip("/") and not _NOT_ARTICLE_PATH.search(target.path)


def _teaser_cards(node: LexborNode) -> bool:
    """Three or more linked headlines to different pages: a list of teaser cards, each
    a headline with its summary (whose text makes the box look like prose).

    >>> cards = "".join(f'<div><h4><a href="/{i}">Story {i}</a></h4><p>Summary.</p></div>' for i in range(3))
    >>> _teaser_cards(LexborHTMLParser(f"<div>{cards}</div>").css_first("div"))
    True
    """
    targets = {a.attributes.get("href") for a in node.css(_HEADLINE_LINKS)}
    if len(targets) < 3:  # a card may be a link holding the headline instead
        targets |= {a.attributes.get("href") for a in node.css("a[href]") if a.css_first(_CARD_HEADINGS)}
    targets.discard(None)
    return len(targets) >= 3


def _in_sentence(node: LexborNode) -> bool:
    """An inline element a sentence runs through: text on both sides that reads on
    (a word or ``,;:("'`` before it, a word or punctuation after), not a separator.

    >>> tree = LexborHTMLParser('<p>I am a <a class="popup">rather elderly</a> man.</p>'
    ...     '<p><a class="share">Facebook</a> | <a class="share">X</a> | Share</p>')
    >>> [_in_sentence(a) for a in tree.css("a")]
    [True, False, False]
    """
    if node.tag not in INLINE_TAGS:
        return False
    before, after = node.prev, node.next
    if before is None or after is None or not before.is_text_node or not after.is_text_node:
        return False
    left, right = (before.text_content or "").strip(), (after.text_content or "").strip()
    return (bool(left) and bool(right) and (left[-1].isalnum() or left[-1] in _LEADS_ON)
            and (right[0].isalnum() or right[0] in _READS_ON))


def prune(tree: LexborHTMLParser, rules: CompiledRules, deadline: Deadline | None = None,
          url: str | None = None) -> list[Removal]:
    """Remove furniture from ``tree`` in place; return what went, by which rule. With the
    page's ``url``, paragraphs that only link to another of its articles go too."""
    pruner = _Pruner(tree, rules, deadline, url)
    with contextlib.suppress(_OutOfWork):
        pruner.selectors()
        pruner.tokens()
        pruner.headings()
        pruner.teaser_links()
    return pruner.removed


def safe_prune(tree: LexborHTMLParser, rules: CompiledRules,
               deadline: Deadline | None = None) -> list[Removal]:
    """The safeguard's fallback: remove only code and embeds (scripts, styles, iframes...)."""
    pruner = _Pruner(tree, rules, deadline)
    with contextlib.suppress(_OutOfWork):
        pruner.selectors(only_code=True)
    return pruner.removed

