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

from html import escape

from selectolax.lexbor import LexborHTMLParser, LexborNode

from newsclean.article import Removal
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
_INLINE = frozenset({"a", "abbr", "b", "cite", "code", "dfn", "em", "i", "kbd", "mark", "q", "s", "samp",
                     "small", "span", "strong", "sub", "sup", "time", "u", "var"})
_LEADS_ON = frozenset(",;:(\"'“‘«„")
_READS_ON = frozenset(",.;:!?)\"'”’»")
_LOOSE_PARENTS = frozenset({"div", "section", "article", "main", "body", "td", "blockquote", "center",
                            "font"})
_MIN_LOOSE = 40  # characters of loose text (links not counted) that make a paragraph
_HEADLINE_LINKS = "h2 a[href], h3 a[href], h4 a[href], h5 a[href]"
_CARD_HEADINGS = "h2, h3, h4, h5"
_MAX_RECORD = 300
_MAX_HEADING = 80


def _text(node: LexborNode) -> str:
    return " ".join((node.text(deep=True, separator=" ") or "").split())


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
        self.body_len = len(_text(body)) if body is not None else 0
        self.removed: list[Removal] = []

    def protected(self, node: LexborNode, text: str | None = None) -> bool:
        """The article container, or a node holding most of the page's text (``text``: its
        text, when the caller has it already)."""
        if node.tag in _PROTECTED_TAGS:
            return True
        if node.css_first(_CONTAINER) is not None:
            return True
        if self.body_len > 1000:
            return len(_text(node) if text is None else text) > 0.5 * self.body_len
        return False

    def remove(self, node: LexborNode, rule: str, kind: str, by_name: bool = False) -> bool:
        if node.tag in ("script", "style"):  # code: never the article, never recorded
            node.remove()
            return True
        if self.root is None or not _attached(node, self.root):
            return False
        text = _text(node)
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
            for node in self.tree.css(css):
                self.remove(node, rule, "node")

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
            text = _text(node)
            if not text or len(text) > _MAX_HEADING:
                continue
            rule = self.rules.match_heading(text)
            if rule is None or self.root is None or not _attached(node, self.root):
                continue
            container = self.widget(node)
            if container is node:
                sibling = _next_element(node)
                if sibling is not None and _link_density(sibling) >= 0.5:
                    self.remove(sibling, rule, "widget", by_name=True)
            # headline cards under a widget heading are teasers, however much summary text
            self.remove(container, rule, "widget", by_name=not _teaser_cards(container))

    def widget(self, heading: LexborNode) -> LexborNode:
        """The teaser box a widget heading introduces: link-dense ancestors, a few levels up."""
        container, node = heading, heading.parent
        for _ in range(4):
            if node is None or node.tag in _PROTECTED_TAGS:
                break
            text = _text(node)
            if self.protected(node, text) or len(text) > 3000:
                break
            if len(text) > 250 and _link_density(node) < 0.5:
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


def _next_element(node: LexborNode) -> LexborNode | None:
    sibling = node.next
    while sibling is not None and not sibling.is_element_node:
        sibling = sibling.next
    return sibling


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
    linked = sum(len(_text(a)) for a in node.css("a"))
    return len(text) - linked >= 500 and linked < 0.3 * len(text)


def _in_sentence(node: LexborNode) -> bool:
    """An inline element a sentence runs through: text on both sides that reads on
    (a word or ``,;:("'`` before it, a word or punctuation after), not a separator.

    >>> tree = LexborHTMLParser('<p>I am a <a class="popup">rather elderly</a> man.</p>'
    ...     '<p><a class="share">Facebook</a> | <a class="share">X</a> | Share</p>')
    >>> [_in_sentence(a) for a in tree.css("a")]
    [True, False, False]
    """
    if node.tag not in _INLINE:
        return False
    before, after = node.prev, node.next
    if before is None or after is None or not before.is_text_node or not after.is_text_node:
        return False
    left, right = (before.text_content or "").strip(), (after.text_content or "").strip()
    return (bool(left) and bool(right) and (left[-1].isalnum() or left[-1] in _LEADS_ON)
            and (right[0].isalnum() or right[0] in _READS_ON))


def _link_density(node: LexborNode) -> float:
    total = len(_text(node))
    if not total:
        return 0.0
    linked = sum(len(_text(a)) for a in node.css("a"))
    return min(linked / total, 1.0)


def math_to_text(tree: LexborHTMLParser) -> None:
    """Replace each MathML formula by its text, which trafilatura would otherwise drop
    with the ``<math>`` element (or with the custom element a renderer wraps it in,
    such as MathJax's ``<mjx-container>``). A display formula becomes a paragraph of
    its own; alternative encodings (``<annotation>``: the TeX source) are left out, as
    they repeat the formula.

    >>> tree = LexborHTMLParser('<p>If <math><mi>a</mi><mo>&lt;</mo><mn>0</mn>'
    ...     '<annotation encoding="application/x-tex">a < 0</annotation></math>, then</p>'
    ...     '<mjx-container><math display="block"><mi>x</mi></math></mjx-container>')
    >>> math_to_text(tree)
    >>> tree.body.html
    '<body><p>If  a &lt; 0 , then</p><p>x</p></body>'
    """
    for formula in tree.css("math"):
        for alternative in formula.css("annotation, annotation-xml"):
            alternative.decompose()
        text = _text(formula)
        block = (formula.attributes.get("display") or "").lower() == "block"
        target = formula
        parent = formula.parent
        while parent is not None and "-" in (parent.tag or "") and _text(parent) == text:
            target, parent = parent, parent.parent
        inside_paragraph = False
        while parent is not None and not inside_paragraph:
            inside_paragraph = parent.tag == "p"
            parent = parent.parent
        if block and not inside_paragraph and text:
            paragraph = LexborHTMLParser(f"<p>{escape(text)}</p>").css_first("p")
            if paragraph is not None:
                target.replace_with(paragraph)
                continue
        target.replace_with(f" {text} " if text else "")


def wrap_loose_text(tree: LexborHTMLParser) -> None:
    """Wrap a run of loose text beside paragraphs (text and inline elements between
    blocks, such as a paragraph left unwrapped after a figure or an ad slot) in a
    ``<p>`` of its own: trafilatura keeps paragraphs, and drops such runs.

    >>> tree = LexborHTMLParser('<div><p>First.</p><div>x</div>The code has <a href="/g">'
    ...     'guidelines</a> for the flag but no punishments.</div>')
    >>> wrap_loose_text(tree)
    >>> [p.text() for p in tree.css("p")]
    ['First.', 'The code has guidelines for the flag but no punishments.']
    """
    body = tree.body
    if body is None:
        return
    seen: set[int] = set()
    for paragraph in body.css("p"):
        parent = paragraph.parent
        if parent is None or parent.mem_id in seen or parent.tag not in _LOOSE_PARENTS:
            continue
        seen.add(parent.mem_id)
        run: list[LexborNode] = []
        for child in list(parent.iter(include_text=True)):
            if child.is_text_node or child.tag in _INLINE:
                run.append(child)
            elif child.tag != "_comment":
                _wrap(run)
                run = []
        _wrap(run)


def _wrap(run: list[LexborNode]) -> None:
    loose = " ".join(" ".join((n.text_content or "").split()) for n in run if n.is_text_node)
    if len(loose.strip()) < _MIN_LOOSE or sum(c.isalpha() for c in loose) < 0.6 * len(loose):
        return
    markup = "".join(escape(n.text_content or "") if n.is_text_node else (n.html or "") for n in run)
    paragraph = LexborHTMLParser(f"<p>{markup}</p>").css_first("p")
    if paragraph is None:
        return
    run[0].insert_before(paragraph)
    for node in run:
        node.decompose()


def prune(tree: LexborHTMLParser, rules: CompiledRules) -> list[Removal]:
    """Remove furniture from ``tree`` in place; return what went, by which rule."""
    pruner = _Pruner(tree, rules)
    pruner.selectors()
    pruner.tokens()
    pruner.headings()
    math_to_text(tree)
    wrap_loose_text(tree)
    return pruner.removed


def safe_prune(tree: LexborHTMLParser, rules: CompiledRules) -> list[Removal]:
    """The safeguard's fallback: remove only code and embeds (scripts, styles, iframes...)."""
    pruner = _Pruner(tree, rules)
    pruner.selectors(only_code=True)
    math_to_text(tree)
    return pruner.removed

