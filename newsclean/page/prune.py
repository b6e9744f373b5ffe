"""Structural rules: remove furniture nodes from the parsed page, recording each.

Runs on a selectolax (Lexbor) tree before main-content extraction, so trafilatura
sees a smaller, cleaner page. A node holding most of the page's text, or the
article container itself, is never removed (the safeguard).

>>> from selectolax.lexbor import LexborHTMLParser
>>> from newsclean.rules import Rules
>>> tree = LexborHTMLParser('<body><article><p>Body text here.</p>'
...     '<div class="c-share-bar">Share on Facebook</div></article></body>')
>>> removed = prune(tree, Rules.default().compile())
>>> [r.rule for r in removed], tree.body.text()
(['generic.token.share'], 'Body text here.')
"""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser, LexborNode

from newsclean.article import Removal
from newsclean.page.dom import INLINE_TAGS, link_density, linked_chars, next_element, node_text
from newsclean.rules import CompiledRules, split_words

__all__ = ["prune", "safe_prune"]

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


def _attached(node: LexborNode, root: LexborNode) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.mem_id == root.mem_id:
            return True
        parent = parent.parent
    return False


class _Pruner:
    def __init__(self, tree: LexborHTMLParser, rules: CompiledRules) -> None:
        self.tree = tree
        self.rules = rules
        self.root = tree.root
        body = tree.body
        self.body_len = len(node_text(body)) if body is not None else 0
        self.removed: list[Removal] = []

    def protected(self, node: LexborNode, text: str | None = None) -> bool:
        """The article container, or a node holding most of the page's text (``text``: its
        text, when the caller has it already)."""
        if node.tag in _PROTECTED_TAGS:
            return True
        if node.css_first(_CONTAINER) is not None:
            return True
        if self.body_len > 1000:
            return len(node_text(node) if text is None else text) > 0.5 * self.body_len
        return False

    def remove(self, node: LexborNode, rule: str, kind: str, by_name: bool = False) -> bool:
        if node.tag in ("script", "style"):  # code: never the article, never recorded
            node.remove()
            return True
        if self.root is None or not _attached(node, self.root):
            return False
        text = node_text(node)
        if self.protected(node, text):
            return False
        if by_name and _content_like(node, text):
            return False
        if rule not in _SILENT and text:
            short = text if len(text) <= _MAX_RECORD else text[: _MAX_RECORD - 1] + "…"
            self.removed.append(Removal(rule, kind, short))
        node.remove()
        return True

    def selectors(self, only_code: bool = False) -> None:
        for rule, css in self.rules.selectors:
            if only_code and rule not in _SILENT:
                continue
            for node in self.tree.css(css):  # a learned selector may not take prose either
                self.remove(node, rule, "node", by_name=rule in self.rules.guarded)

    def tokens(self) -> None:
        body = self.tree.body
        if body is None:
            return
        seen: dict[str, str | None] = {}  # a page repeats its class names many times over
        for node in body.css(_NAMED):
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
        for node in body.css(_HEADINGS):
            text = node_text(node)
            if not text or len(text) > _MAX_HEADING:
                continue
            rule = self.rules.match_heading(text)
            if rule is None or self.root is None or not _attached(node, self.root):
                continue
            container = self.widget(node)
            if container is node:
                sibling = next_element(node)
                if sibling is not None and link_density(sibling) >= 0.5:
                    self.remove(sibling, rule, "widget", by_name=True)
            # headline cards under a widget heading are teasers, however much summary text
            self.remove(container, rule, "widget", by_name=not _teaser_cards(container))

    def widget(self, heading: LexborNode) -> LexborNode:
        """The teaser box a widget heading introduces: link-dense ancestors, a few levels up."""
        container, node = heading, heading.parent
        for _ in range(4):
            if node is None or node.tag in _PROTECTED_TAGS:
                break
            text = node_text(node)
            if self.protected(node, text) or len(text) > 3000:
                break
            if len(text) > 250 and link_density(node) < 0.5:
                if _teaser_cards(node):
                    container = node
                break
            container, node = node, node.parent
        return container


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


def _content_like(node: LexborNode, text: str) -> bool:
    """Content, not furniture, whatever its class name says: prose (500+ characters of
    text, under a third of it in links), a formula (MathJax marks each one
    ``CtxtMenu_Attached``: no menu), or words inside a sentence (``I am a <a
    class="popup">rather elderly</a> man``: an annotation link, no pop-up).

    A class name can lie (``class="entry-meta"`` around a whole article); text can't.
    """
    if node.tag in _MATH or node.css_first("math") is not None or _in_sentence(node):
        return True
    if len(text) < 500:
        return False
    linked = linked_chars(node)
    return len(text) - linked >= 500 and linked < 0.3 * len(text)


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


def prune(tree: LexborHTMLParser, rules: CompiledRules) -> list[Removal]:
    """Remove furniture from ``tree`` in place; return what went, by which rule."""
    pruner = _Pruner(tree, rules)
    pruner.selectors()
    pruner.tokens()
    pruner.headings()
    return pruner.removed


def safe_prune(tree: LexborHTMLParser, rules: CompiledRules) -> list[Removal]:
    """The safeguard's fallback: remove only code and embeds (scripts, styles, iframes...)."""
    pruner = _Pruner(tree, rules)
    pruner.selectors(only_code=True)
    return pruner.removed

