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

from selectolax.lexbor import LexborHTMLParser, LexborNode

from newsclean.article import Removal
from newsclean.page.dom import INLINE_TAGS, next_element, node_text
from newsclean.page.limits import Deadline
from newsclean.rules import CompiledRules, split_words

__all__ = ["MIN_WORK", "WORK_PER_CHAR", "prune", "safe_prune"]

WORK_PER_CHAR = 16
"""The pruning budget, per character of the page's text: characters of text read and
ancestors walked (real pages: at most ~3)."""

MIN_WORK = 200_000
"""The pruning budget however little text the page has."""

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


class _OutOfWork(Exception):
    """The pruning budget is spent: the rules stop, what they removed stays removed."""


class _Pruner:
    def __init__(self, tree: LexborHTMLParser, rules: CompiledRules, deadline: Deadline | None) -> None:
        self.tree = tree
        self.rules = rules
        self.root = tree.root
        self.deadline = deadline or Deadline(None)
        body = tree.body
        self.body_len = len(node_text(body)) if body is not None else 0
        self.work = MIN_WORK + WORK_PER_CHAR * self.body_len
        self.removed: list[Removal] = []
        self._holders: dict[str, set[int]] = {}  # selector -> mem_id of each match and its ancestors
        self._attached: dict[int, bool] = {}  # mem_id -> attached, as of the removal epoch below
        self._epoch: dict[int, int] = {}
        self._removals = 0

    def charge(self, work: int) -> None:
        """Spend ``work`` of the budget; :class:`_OutOfWork` once it is gone."""
        self.work -= work
        if self.work < 0:
            raise _OutOfWork

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
        while current is not None:
            key = current.mem_id
            if self._epoch.get(key) == self._removals or self._attached.get(key) is False:
                found = self._attached[key]
                break
            if self.root is not None and key == self.root.mem_id:
                found = True
                break
            path.append(key)
            current = current.parent
            self.charge(1)
        for key in path:
            self._attached[key] = found
            self._epoch[key] = self._removals
        return found

    def protected(self, node: LexborNode, text: str | None = None) -> bool:
        """The article container, or a node holding most of the page's text (``text``: its
        text, when the caller has it already)."""
        if node.tag in _PROTECTED_TAGS:
            return True
        if self.holds(node, _CONTAINER):
            return True
        if self.body_len > 1000:
            return len(self.text(node) if text is None else text) > 0.5 * self.body_len
        return False

    def remove(self, node: LexborNode, rule: str, kind: str, by_name: bool = False) -> bool:
        if node.tag in ("script", "style"):  # code: never the article, never recorded
            node.remove()
            return True
        if self.root is None or not self.attached(node):
            return False
        text = self.text(node)
        if self.protected(node, text):
            return False
        if by_name and self.content_like(node, text):
            return False
        if rule not in _SILENT and text:
            short = text if len(text) <= _MAX_RECORD else text[: _MAX_RECORD - 1] + "…"
            self.removed.append(Removal(rule, kind, short))
        node.remove()
        self._attached[node.mem_id] = False
        self._removals += 1
        return True

    def selectors(self, only_code: bool = False) -> None:
        for rule, css in self.rules.selectors:
            if only_code and rule not in _SILENT:
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
        seen: dict[str, str | None] = {}  # a page repeats its class names many times over
        for i, node in enumerate(body.css(_NAMED)):
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
                    rule = seen[value] = self.rules.match_tokens(split_words(value))
                if rule:
                    self.remove(node, rule, "node", by_name=True)
                    break

    def headings(self) -> None:
        body = self.tree.body
        if body is None:
            return
        for i, node in enumerate(body.css(_HEADINGS)):
            if not i % 256:
                self.deadline.check("extraction")
            text = self.text(node)
            if not text or len(text) > _MAX_HEADING:
                continue
            rule = self.rules.match_heading(text)
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


def prune(tree: LexborHTMLParser, rules: CompiledRules, deadline: Deadline | None = None) -> list[Removal]:
    """Remove furniture from ``tree`` in place; return what went, by which rule."""
    pruner = _Pruner(tree, rules, deadline)
    with contextlib.suppress(_OutOfWork):
        pruner.selectors()
        pruner.tokens()
        pruner.headings()
    return pruner.removed


def safe_prune(tree: LexborHTMLParser, rules: CompiledRules,
               deadline: Deadline | None = None) -> list[Removal]:
    """The safeguard's fallback: remove only code and embeds (scripts, styles, iframes...)."""
    pruner = _Pruner(tree, rules, deadline)
    with contextlib.suppress(_OutOfWork):
        pruner.selectors(only_code=True)
    return pruner.removed

