"""A picture of the cleaning: one self-contained HTML page of what stayed and what went, in page order.

``newsclean explain page.html -o report.html`` writes it; from Python, :func:`explain_html`.

Every text block of the original page is shown where it stands: kept text plain, text a rule
removed struck through in the colour of the rule's kind with the rule's id beside it, and text
the extractor did not take (no rule named it) in grey. A legend counts the removals per rule.
No network, no script: inline CSS only, so the file can be attached to a bug report.

``Article.removed`` lists removals in the order the rules ran, not in page order, and a
structural removal keeps only its first 300 characters. The order is recovered by replaying the
cleaning on the page's text stream (all text nodes, document order, compared without
whitespace): structural removals claim their text in removal order, each in the text that the
previous ones left (a node's recorded text is its text at removal time, so it is one contiguous
run there); a removal cut at 300 characters extends to the end of the smallest element that
holds its start and its prefix. Then the kept blocks claim their text in order, then the text
rules' removals claim what is left (a duplicate finds the copy the kept block did not take).
One rule's structural removals are made in document order, so each is searched after the
previous one of the same rule; a ``selector`` rule's removal is first looked for among the
elements its own selector names on the page (exact, unless a structural removal before it
changed that element's text).

>>> page = '''<html><body><div class="share-bar">Share on Facebook</div><article><h1>Storm</h1>
... <p>A storm hit the coast on Monday night, cutting power to thousands of homes.</p>
... <p>Officials said repairs would take weeks and urged people to stay indoors.</p></article>
... <nav>Home News Sport</nav></body></html>'''
>>> html = explain_html(page, "https://example.com/storm")
>>> html.startswith("<!DOCTYPE html>") and "http" not in html.split("</head>")[0]
True
>>> placed = layout(page, "https://example.com/storm")
>>> runs = [(run.status, run.rule, run.text[:20]) for row in placed.rows for run in row]
>>> runs  # doctest: +NORMALIZE_WHITESPACE
[('removed', 'generic.token.share', 'Share on Facebook'), ('removed', 'text.title', 'Storm'),
 ('kept', None, 'A storm hit the coas'), ('kept', None, 'Officials said repai'),
 ('removed', 'generic.node.navigation', 'Home News Sport')]
"""

from __future__ import annotations

import html as htmlmod
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from selectolax.lexbor import LexborHTMLParser, LexborNode

from newsclean.article import Article
from newsclean.options import Options
from newsclean.page.decode import decode_html
from newsclean.page.pipeline import clean
from newsclean.rules import Rules

__all__ = ["Layout", "Run", "explain_html", "layout"]

Status = Literal["kept", "removed", "dropped"]

_SKIP = frozenset({"script", "style", "template", "svg", "iframe", "head", "object", "embed", "canvas"})
_BLOCK = frozenset({"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "blockquote", "pre",
                    "figcaption", "figure", "section", "article", "header", "footer", "nav", "aside", "ul",
                    "ol", "dl", "dt", "dd", "table", "tr", "form", "main", "body", "address", "details",
                    "summary", "caption", "br", "hr", "button", "label", "option", "select", "hgroup"})
_STRUCTURAL = frozenset({"node", "widget"})
_CUT = "…"
_MAX_RECORD = 300  # newsclean keeps a structural removal's first 300 characters
_MAX_DROPPED = 240  # characters shown of a run of text the extractor did not take

# colours by the rule's kind; the text stage's own steps share one family of colours
_COLOURS = {
    "selector": "#c62828", "token": "#ad1457", "heading": "#ef6c00", "line": "#6a1b9a", "credit": "#00838f",
    "text.caption": "#2e7d32", "text.duplicate": "#5d4037", "text.title": "#827717",
    "text.standfirst": "#827717", "text.widget-items": "#ef6c00", "text.url": "#6a1b9a",
    "structure.teaser-link": "#ef6c00", "other": "#37474f",
}


@dataclass
class Run:
    """A piece of one text block of the page: its text, whether it was ``kept``, ``removed`` (by
    ``rule``, of ``kind``) or ``dropped`` (not taken by the extractor), and whether it starts
    its removal (where the rule's id is shown)."""

    text: str
    status: Status
    rule: str | None = None
    kind: str | None = None
    first: bool = False


@dataclass
class Layout:
    """The page's text blocks in page order (``rows``), and what could not be placed."""

    rows: list[list[Run]] = field(default_factory=list)
    unplaced: list[tuple[str, str | None, str]] = field(default_factory=list)  # (status, rule, text)


@dataclass
class _Claim:
    status: Status
    rule: str | None
    kind: str | None


class _Stream:
    """The page's text, text node by text node, compared without whitespace."""

    def __init__(self, tree: LexborHTMLParser) -> None:
        self.nodes: list[str] = []  # each text node's text, whitespace collapsed
        self.segment: list[int] = []  # the block each text node belongs to
        self.spans: list[tuple[int, int]] = []  # (first char, end char) of elements, in chars
        self.by_node: dict[int, tuple[int, int]] = {}  # the same, by element (mem_id)
        chars: list[str] = []
        owner: list[tuple[int, int]] = []  # for each char: (text node, offset in its text)
        body = tree.body
        if body is not None:
            self._walk(body, chars, owner)
        self.chars = "".join(chars)
        self.owner = owner
        self.claims: list[_Claim | None] = [None] * len(self.chars)
        self.starts: set[int] = set()
        self.intervals: list[tuple[int, int]] = [(0, len(self.chars))] if self.chars else []
        self._free: tuple[str, list[int]] | None = None

    def _walk(self, body: LexborNode, chars: list[str], owner: list[tuple[int, int]]) -> None:
        segment = 0
        stack: list[tuple[LexborNode, int]] = [(body, -1)]
        while stack:
            node, start = stack.pop()
            if start >= 0:
                self.spans.append((start, len(chars)))
                self.by_node[node.mem_id] = (start, len(chars))
                if node.tag in _BLOCK:
                    segment += 1
                continue
            if node.is_text_node:
                text = " ".join((node.text_content or "").split())
                if text:
                    index = len(self.nodes)
                    self.nodes.append(text)
                    self.segment.append(segment)
                    for offset, char in enumerate(text):
                        if not char.isspace():
                            chars.append(char)
                            owner.append((index, offset))
                continue
            tag = node.tag or ""
            if not node.is_element_node or tag in _SKIP or tag.startswith("_"):
                continue
            if tag in _BLOCK:
                segment += 1
            stack.append((node, len(chars)))
            for child in reversed(list(node.iter(include_text=True))):
                stack.append((child, -1))

    def free(self) -> tuple[str, list[int]]:
        """The unclaimed characters, and the stream position where each unclaimed interval starts
        within them (cumulative lengths: see :meth:`_position`)."""
        if self._free is None:
            starts, total = [], 0
            for begin, end in self.intervals:
                starts.append(total)
                total += end - begin
            self._free = ("".join(self.chars[b:e] for b, e in self.intervals), starts)
        return self._free

    def _position(self, k: int) -> int:
        """The stream position of the ``k``-th unclaimed character."""
        _, starts = self.free()
        j = bisect_right(starts, k) - 1
        return self.intervals[j][0] + k - starts[j]

    def _free_index(self, position: int) -> int:
        """How many unclaimed characters come before stream position ``position``."""
        _, starts = self.free()
        for j, (begin, end) in enumerate(self.intervals):
            if end > position:
                return starts[j] + max(position - begin, 0)
        return len(self.free()[0])

    def _take(self, positions: list[int], claim: _Claim) -> None:
        for i in positions:
            self.claims[i] = claim
        ranges: list[list[int]] = []  # the positions as [begin, end) runs, sorted
        for i in positions:
            if ranges and ranges[-1][1] == i:
                ranges[-1][1] = i + 1
            else:
                ranges.append([i, i + 1])
        kept: list[tuple[int, int]] = []
        r = 0
        for begin, end in self.intervals:
            while r < len(ranges) and ranges[r][1] <= begin:
                r += 1
            run, k = begin, r
            while k < len(ranges) and ranges[k][0] < end:
                if run < ranges[k][0]:
                    kept.append((run, ranges[k][0]))
                run = max(run, ranges[k][1])
                k += 1
            if run < end:
                kept.append((run, end))
        self.intervals = kept
        self._free = None

    def claim_element(self, text: str, claim: _Claim, spans: list[tuple[int, int]], *, after: int = 0,
                      cut: bool = False) -> int | None:
        """Claim the first element of ``spans`` (document order, starting at or after ``after``)
        whose unclaimed text is ``text`` (starts with it, with ``cut``): exact where the rule's
        own selector names the candidates."""
        needle = _squash(text)
        if not needle:
            return None
        for begin, end in spans:
            if begin < after:
                continue
            free = [i for i in range(begin, end) if self.claims[i] is None]
            here = "".join(self.chars[i] for i in free)
            if free and (here == needle or (cut and here.startswith(needle))):
                self._take(free, claim)
                self.starts.add(free[0])
                return free[-1] + 1
        return None

    def claim(self, text: str, claim: _Claim, *, after: int = 0, cut: bool = False) -> int | None:
        """Claim the first unclaimed occurrence of ``text`` (at or after stream position
        ``after``); with ``cut``, ``text`` is a prefix: the claim runs to the end of the smallest
        element holding it. The stream position after the claim, or None if not found."""
        needle = _squash(text)
        if not needle:
            return None
        free, _ = self.free()
        found = free.find(needle, self._free_index(after))
        if found < 0:
            return None
        chosen = [self._position(k) for k in range(found, found + len(needle))]
        if cut:
            start, end = chosen[0], chosen[-1] + 1
            holders = [(e - s, s, e) for s, e in self.spans if s <= start and e >= end]
            if holders:
                end = min(holders)[2]
                chosen = [i for i in range(start, end) if self.claims[i] is None]
        self._take(chosen, claim)
        self.starts.add(chosen[0])
        return chosen[-1] + 1


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def layout(page: str | bytes, url: str | None = None, *, article: Article | None = None,
           rules: Rules | None = None, options: Options | None = None) -> Layout:
    """Place every kept block and every removal of ``article`` (``page`` cleaned with ``rules``
    and ``options`` when not given) on the page's text, in page order."""
    rules = rules or Rules.default()
    article = article if article is not None else clean(page, url, rules=rules, options=options)
    tree = LexborHTMLParser(page if isinstance(page, str) else decode_html(page))
    stream = _Stream(tree)
    kinds = _rule_kinds(rules)
    selectors = dict(rules.compile(url or article.canonical_url, article.site_name).selectors)
    candidates: dict[str, list[tuple[int, int]]] = {}
    out = Layout()
    structural = [r for r in article.removed if r.kind in _STRUCTURAL]
    textual = [r for r in article.removed if r.kind not in _STRUCTURAL]
    last: dict[str, int] = {}  # one rule removes in document order: its next removal comes later
    for removal in structural:
        cut = removal.text.endswith(_CUT) and len(removal.text) >= _MAX_RECORD
        body = removal.text[:-1] if cut else removal.text
        claim = _Claim("removed", removal.rule, kinds.get(removal.rule, "other"))
        end = None
        if removal.rule in selectors:  # the elements the rule's selector names, in document order
            if removal.rule not in candidates:
                nodes = tree.css(selectors[removal.rule])
                candidates[removal.rule] = [stream.by_node[n.mem_id] for n in nodes
                                            if n.mem_id in stream.by_node]
            end = stream.claim_element(body, claim, candidates[removal.rule], after=last.get(removal.rule, 0),
                                       cut=cut)
        if end is None:
            end = stream.claim(body, claim, after=last.get(removal.rule, 0), cut=cut)
        if end is None:
            end = stream.claim(body, claim, cut=cut)
        if end is None:
            out.unplaced.append(("removed", removal.rule, removal.text))
        else:
            last[removal.rule] = end
    cursor = 0
    for block in article.blocks:
        keep = _Claim("kept", None, None)
        placed = stream.claim(block.text, keep, after=cursor)
        if placed is None:
            placed = stream.claim(block.text, keep)
        if placed is None:  # a block the text rules changed: place its lines one by one
            pieces = [p for p in re.split(r"\n| \| |(?<=[.!?])\s+", block.text) if p.strip()]
            spots = [stream.claim(p, keep, after=cursor) or stream.claim(p, keep) for p in pieces]
            if not any(spots):
                out.unplaced.append(("kept", None, block.text))
                continue
            placed = max(s for s in spots if s)
        cursor = max(cursor, placed)
    for removal in textual:
        claim = _Claim("removed", removal.rule, kinds.get(removal.rule, "other"))
        if stream.claim(removal.text, claim) is None:
            out.unplaced.append(("removed", removal.rule, removal.text))
    out.rows = _rows(stream)
    return out


def _rule_kinds(rules: Rules) -> dict[str, str]:
    kinds: dict[str, str] = {rule.id: rule.kind for pack in rules.packs for rule in pack.rules}
    for builtin in ("text.caption", "text.duplicate", "text.title", "text.standfirst", "text.widget-items",
                    "text.url", "structure.teaser-link"):
        kinds[builtin] = builtin
    return kinds


def _rows(stream: _Stream) -> list[list[Run]]:
    """Runs of equal claims, text node by text node, grouped by the page's blocks."""
    per_node: list[list[tuple[str, _Claim | None, bool]]] = [[] for _ in stream.nodes]
    claim_at: dict[tuple[int, int], tuple[_Claim | None, bool]] = {
        owner: (stream.claims[i], i in stream.starts) for i, owner in enumerate(stream.owner)}
    for index, text in enumerate(stream.nodes):
        current: _Claim | None = None
        first = False
        pieces: list[tuple[str, _Claim | None, bool]] = []
        buffer = ""
        for offset, char in enumerate(text):
            if char.isspace():
                buffer += char
                continue
            claim, starts = claim_at[(index, offset)]
            if (pieces or buffer) and (claim is not current or starts):
                pieces.append((buffer, current, first))
                buffer, first = "", False
            current = claim
            first = first or starts
            buffer += char
        if buffer:
            pieces.append((buffer, current, first))
        per_node[index] = pieces
    rows: list[list[Run]] = []
    last_segment = -1
    for index, pieces in enumerate(per_node):
        if stream.segment[index] != last_segment or not rows:
            rows.append([])
            last_segment = stream.segment[index]
        for text, claim, first in pieces:
            status: Status = claim.status if claim else "dropped"
            row = rows[-1]
            rule = claim.rule if claim else None
            if row and row[-1].status == status and row[-1].rule == rule and not first:
                row[-1].text += " " + text
            else:
                row.append(Run(text.strip(), status, claim.rule if claim else None,
                               claim.kind if claim else None, first))
    for row in rows:
        for run in row:
            run.text = " ".join(run.text.split())
    return [row for row in rows if any(run.text for run in row)]


# --------------------------------------------------------------------------------- render
_CSS = """
body{font:15px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;background:#fafafa;
  color:#212121}
header{padding:16px 28px;background:#263238;color:#eceff1}
header h1{font-size:18px;margin:0 0 4px}
header p{margin:0;font-size:13px;color:#b0bec5;word-break:break-all}
main{display:grid;grid-template-columns:minmax(0,1fr) 340px;gap:24px;padding:20px 28px}
.page{background:#fff;border:1px solid #e0e0e0;border-radius:6px;padding:10px 18px}
.row{padding:3px 0 3px 10px;border-left:4px solid transparent;margin:2px 0}
.row.k{border-left-color:#43a047}
.kept{color:#111}
.dropped{color:#9e9e9e;font-size:12.5px}
del{text-decoration-thickness:1.5px}
.rid{display:inline-block;font:600 10.5px/1.6 ui-monospace,Menlo,Consolas,monospace;color:#fff;
  border-radius:3px;padding:0 5px;margin-right:5px;vertical-align:1px;text-decoration:none}
.rid.learned{outline:2px dashed #ffd54f;outline-offset:1px}
aside{position:sticky;top:12px;align-self:start;background:#fff;border:1px solid #e0e0e0;border-radius:6px;
  padding:12px 14px;font-size:13px}
aside h2{font-size:14px;margin:6px 0}
table{border-collapse:collapse;width:100%}
td{padding:2px 4px;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.sw{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:4px}
code{font-size:11.5px;word-break:break-all}
.sum td{padding:1px 4px}
.unplaced{margin-top:14px;font-size:12.5px;color:#616161}
"""


def _colour(kind: str | None) -> str:
    return _COLOURS.get(kind or "other", _COLOURS["other"])


def explain_html(source: Article | str | bytes, url: str | None = None, *, article: Article | None = None,
                 rules: Rules | None = None, options: Options | None = None, title: str | None = None) -> str:
    """The cleaning of a page as one self-contained HTML page (no network, no script, inline CSS).

    ``source`` is the page (``str`` or ``bytes``; cleaned here with ``rules`` and ``options``
    unless ``article`` is its cleaning already) or an :class:`~newsclean.Article` alone, which
    has no page to place its removals on: they are then listed after the kept text, in the
    order the rules ran. Kept text is plain; each removal is struck through in the colour of
    its rule's kind, with the rule's id (learned rules' ids outlined); the legend counts the
    removals and words per rule.

    >>> report = explain_html("<html><body><nav>Home News</nav><p>A storm hit the coast.</p></body></html>")
    >>> "<del" in report and "generic.node.navigation" in report
    True
    """
    rules = rules or Rules.default()
    if isinstance(source, Article):
        article = source
        placed = Layout(rows=[[Run(b.text, "kept")] for b in article.blocks],
                        unplaced=[("removed", r.rule, r.text) for r in article.removed])
        kinds = _rule_kinds(rules)
        note = "No page given: removals below the text, in the order the rules ran."
    else:
        article = article if article is not None else clean(source, url, rules=rules, options=options)
        placed = layout(source, url, article=article, rules=rules)
        kinds = _rule_kinds(rules)
        note = "Page order. Grey: text the extractor did not take (no rule named it)."
    e = htmlmod.escape
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width,initial-scale=1">',
           f"<title>newsclean: {e(title or article.title or url or 'page')}</title>",
           f"<style>{_CSS}</style></head><body>",
           f"<header><h1>{e(title or article.title or 'Cleaning report')}</h1>"
           f"<p>{e(url or article.url or article.canonical_url or '')}</p></header><main><div class='page'>"]
    learned = {rule.id for pack in rules.packs if pack.learned for rule in pack.rules}
    for row in placed.rows:
        removed_row = all(r.status == "removed" for r in row)
        kept_row = any(r.status == "kept" for r in row)
        colour = _colour(next((r.kind for r in row if r.status == "removed"), None)) if removed_row else ""
        style = f" style='border-left-color:{colour}'" if colour else ""
        runs = "".join(_run(r, learned) for r in row)
        out.append(f"<div class='row{' k' if kept_row else ''}'{style}>{runs}</div>")
    out.append("</div>")
    out.append(_legend(article, placed, kinds, note))
    out.append("</main></body></html>")
    return "\n".join(out)


def _run(run: Run, learned_ids: set[str]) -> str:
    e = htmlmod.escape
    if run.status == "kept":
        return f"<span class='kept'>{e(run.text)}</span> "
    if run.status == "dropped":
        text = run.text if len(run.text) <= _MAX_DROPPED else run.text[:_MAX_DROPPED] + " …"
        return f"<span class='dropped'>{e(text)}</span> "
    colour = _colour(run.kind)
    badge = ""
    if run.first and run.rule:
        learned = " learned" if run.rule in learned_ids else ""
        badge = f"<span class='rid{learned}' style='background:{colour}'>{e(run.rule)}</span>"
    return f"{badge}<del style='color:{colour}'>{e(run.text)}</del> "


def _legend(article: Article, placed: Layout, kinds: dict[str, str], note: str) -> str:
    e = htmlmod.escape
    counts: Counter[str] = Counter(r.rule for r in article.removed)
    words: Counter[str] = Counter()
    for r in article.removed:
        words[r.rule] += len(r.text.split())
    dropped = sum(len(run.text.split()) for row in placed.rows for run in row if run.status == "dropped")
    out = ["<aside>", "<h2>Summary</h2><table class='sum'>",
           f"<tr><td>words kept</td><td class='n'>{article.word_count}</td></tr>",
           f"<tr><td>removals</td><td class='n'>{len(article.removed)}</td></tr>",
           f"<tr><td>words removed by rules</td><td class='n'>{sum(words.values())}</td></tr>",
           f"<tr><td>words not extracted</td><td class='n'>{dropped}</td></tr></table>",
           f"<p style='color:#757575;font-size:12px'>{e(note)} Structural removals record at most "
           "300 characters: their words are counted from that record.</p>",
           "<h2>Rules that fired</h2><table>",
           "<tr><td></td><td><b>rule</b></td><td class='n'><b>n</b></td><td class='n'><b>words</b></td></tr>"]
    for rule, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        kind = kinds.get(rule, "other")
        out.append(f"<tr><td><span class='sw' style='background:{_colour(kind)}'></span></td>"
                   f"<td><code>{e(rule)}</code><br><span style='color:#757575'>{e(kind)}</span></td>"
                   f"<td class='n'>{n}</td><td class='n'>{words[rule]}</td></tr>")
    out.append("</table><h2>Colours</h2><table>")
    for kind, colour in _COLOURS.items():
        out.append(f"<tr><td><span class='sw' style='background:{colour}'></span>{e(kind)}</td></tr>")
    out.append("<tr><td><span class='sw' style='background:#bdbdbd'></span>not extracted</td></tr></table>")
    if placed.unplaced:
        out.append(f"<div class='unplaced'><b>Not found in the page ({len(placed.unplaced)})</b>")
        for status, by, text in placed.unplaced:
            out.append(f"<div>{e(by or status)}: {e(text[:160])}</div>")
        out.append("</div>")
    out.append("</aside>")
    return "".join(out)


def _self_check(rows: Sequence[Sequence[Run]]) -> Counter[str]:
    """Words per status in a layout (for tests).

    >>> _self_check([[Run("a b", "kept"), Run("c", "dropped")]])
    Counter({'kept': 2, 'dropped': 1})
    """
    return Counter({status: n for status, n in Counter(
        s for row in rows for run in row for s in [run.status] * len(run.text.split())).items()})
