"""DOM normalisation before extraction: formulas as text, loose text as paragraphs, and
table spans capped.

The first two keep text that an extractor would otherwise drop with its element; the
third keeps trafilatura from building millions of placeholder cells.
"""

from __future__ import annotations

from html import escape

from selectolax.lexbor import LexborHTMLParser, LexborNode

from newsclean.page.dom import INLINE_TAGS, node_text

__all__ = ["MAX_SPANNED_CELLS", "cap_table_spans", "math_to_text", "wrap_loose_text"]

MAX_SPANNED_CELLS = 50_000
"""The cells that ``colspan`` and ``rowspan`` may make of a page's table cells, counted as
trafilatura does (each value capped at 100), beyond which every span is dropped: it adds a
placeholder cell for each, a column at a time (real pages: at most ~8,000)."""
_MAX_SPAN = 100  # trafilatura's own cap on one value

_LOOSE_PARENTS = frozenset({"div", "section", "article", "main", "body", "td", "blockquote", "center",
                            "font"})
_MIN_LOOSE = 40  # characters of loose text (links not counted) that make a paragraph


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
        text = node_text(formula)
        block = (formula.attributes.get("display") or "").lower() == "block"
        target = formula
        parent = formula.parent
        while parent is not None and "-" in (parent.tag or "") and node_text(parent) == text:
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


def _span(value: str | None) -> int:
    value = (value or "").strip()
    return min(int(value), _MAX_SPAN) if value.isdecimal() and value.isascii() else 1


def cap_table_spans(tree: LexborHTMLParser) -> bool:
    """Drop every ``colspan`` and ``rowspan`` when together they would make more than
    :data:`MAX_SPANNED_CELLS` cells; whether they were dropped.

    >>> cells = '<td colspan="100" rowspan="3">x</td>' * 200
    >>> tree = LexborHTMLParser(f"<table><tr>{cells}</tr></table>")
    >>> cap_table_spans(tree), tree.css_first("td").attributes
    (True, {})
    >>> cap_table_spans(LexborHTMLParser('<table><tr><td colspan="2">x</td></tr></table>'))
    False
    """
    cells = tree.css("td[colspan], td[rowspan], th[colspan], th[rowspan]")
    total = 0
    for cell in cells:
        attrs = cell.attributes
        total += _span(attrs.get("colspan")) * _span(attrs.get("rowspan"))
    if total <= MAX_SPANNED_CELLS:
        return False
    for cell in cells:
        for name in ("colspan", "rowspan"):
            if name in cell.attributes:
                del cell.attrs[name]
    return True


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
            if child.is_text_node or child.tag in INLINE_TAGS:
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
