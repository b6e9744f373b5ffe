"""Bounds on the work one page may cost: ``Options.max_bytes``, ``max_nodes`` and ``timeout``.

The parsers downstream are not linear on every input: Lexbor and libxml2 check each
new attribute against the element's others (a million attributes: hours), and nesting
costs them time per level (100,000 levels: minutes), and libxml2 drops everything
below 256 levels anyway. So markup is measured *before* it is parsed, with regular
expressions that run in linear time, and bounded:

- more bytes than ``max_bytes``: the tail is cut (``diagnostics.truncated``);
- more tags than ``max_nodes``: the page is cut after the last tag allowed;
- nesting deeper than :data:`MAX_DEPTH`: the nesting tags are dropped and the text kept
  (``diagnostics.flattened``); if that cannot bring the depth down, the page is refused;
- an element with more than :data:`MAX_ATTRIBUTES` attributes: the page is refused.

>>> page = bound_markup("<div>" * 5000 + "<p>Deep text.</p>", Options())
>>> page.flattened, page.markup.count("<div>"), "Deep text." in page.markup
(True, 0, True)
>>> bound_markup("<p>" + "<b>x</b>" * 10 + "</p>", Options(max_nodes=5)).markup
'<p><b>x</b><b>x</b>'
>>> print(bound_markup("<div " + " ".join(f"a{i}" for i in range(2000)) + ">", Options()).refused)
an element has more than 1000 attributes: refused, since parsing it would take hours; \
check that the input is really a web page
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass

from newsclean.options import Options

__all__ = ["MAX_ATTRIBUTES", "MAX_DEPTH", "Bounded", "Deadline", "TimedOut", "bound_markup", "cap_bytes"]

MAX_DEPTH = 1_000
"""Nesting deeper than this (estimated from the tags) is flattened before parsing."""

MAX_ATTRIBUTES = 1_000
"""An element with more attributes than this makes the page be refused."""

# A start or end tag: "/" for an end tag, its name, "/" if self-closing ("<use/>").
# Linear time: the tag's rest is taken possessively up to ">" (or the end, when there is no
# ">": then the search goes on from there, never rescanning).
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9:-]*+)[^>]*+(?:>(?:(?<=(/)>))?)?")
_FOREIGN = frozenset({"svg", "math"})  # where "/>" closes an element (in HTML it does not)
_VOID = frozenset(
    [
        "area", "base", "br", "col", "embed", "hr", "img", "image", "input", "link", "meta",
        "param", "source", "track", "wbr", "keygen", "frame", "basefont", "bgsound"
    ]
)
# A start tag closes an open sibling of its kind on top of the stack ("<li>a<li>b").
_SIBLINGS = {
    "li": {"li"}, "dt": {"dt", "dd"}, "dd": {"dt", "dd"}, "option": {"option"},
    "optgroup": {"option", "optgroup"}, "tr": {"tr", "td", "th"}, "td": {"td", "th"},
    "th": {"td", "th"}, "tbody": {"tbody", "thead", "tfoot"}, "thead": {"tbody", "thead", "tfoot"},
    "tfoot": {"tbody", "thead", "tfoot"}, "rt": {"rt", "rp"}, "rp": {"rt", "rp"},
}
# Start tags that close an open <p>.
_CLOSES_P = frozenset(
    [
        "address", "article", "aside", "blockquote", "center", "details", "dialog", "dir", "div",
        "dl", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
        "h6", "header", "hgroup", "hr", "main", "menu", "nav", "ol", "p", "pre", "section",
        "summary", "table", "ul", "li", "dd", "dt"
    ]
)
# An end tag closes the open elements above its own that the parser ends implicitly.
_IMPLIED_END = frozenset(["p", "li", "dt", "dd", "option", "optgroup", "rb", "rp", "rt", "rtc"])
_TABLE_PARTS = frozenset(["tbody", "thead", "tfoot", "tr", "td", "th", "caption", "colgroup"])
# Formatting elements: the end tag of one closes the formatting elements opened inside it.
_FORMATTING = frozenset(
    [
        "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt",
        "u"
    ]
)
# What an end tag may close on its way down to the element it names.
_PASSABLE = {
    **{name: _IMPLIED_END | _TABLE_PARTS for name in (*_TABLE_PARTS, "table")},
    **{name: _IMPLIED_END | _FORMATTING for name in _FORMATTING},
}
_CODE_START = re.compile(r"<(script|style|textarea|xmp)\b|<!--", re.IGNORECASE)
# The tags kept when flattening: none of them can nest (scripts and styles stay so
# that their text is not mistaken for the page's text).
_DROPPABLE_TAG = re.compile(
    r"</?(?!(?:p|br|h[1-6]|title|meta|link|html|head|body|script|style|img|li|hr)\b)"
    r"[a-zA-Z][^<>]*>",
    re.IGNORECASE,
)
# A start tag with MAX_ATTRIBUTES attributes or more. Every piece of the repeated group
# begins with a different character class and is atomic (possessive), so a failed match
# costs the tag's length and never backtracks.
_ATTRIBUTE = r"""(?>[\s/]++[^\s/>="']++(?>\s*+=\s*+(?>"[^"]*+"|'[^']*+'|[^\s>"']*+))?+)"""
_ATTRIBUTE_BOMB = re.compile(rf"<[a-zA-Z][^\s/>]*+{_ATTRIBUTE}{{{MAX_ATTRIBUTES + 1}}}")


@dataclass(frozen=True)
class Bounded:
    """Markup after the limits: cut, flattened, or refused (``refused`` is the reason)."""

    markup: str
    truncated: bool = False
    flattened: bool = False
    refused: str | None = None


def cap_bytes(data: str | bytes, max_bytes: int) -> tuple[str | bytes, bool]:
    """``data`` cut to ``max_bytes`` (a ``str`` by its UTF-8 bytes, never inside a
    character), and whether it was cut.

    >>> cap_bytes(b"abcdef", 4)
    (b'abcd', True)
    >>> cap_bytes("abc", 4), cap_bytes("café", 4)
    (('abc', False), ('caf', True))
    """
    if isinstance(data, str):
        if len(data) * 4 <= max_bytes:  # a character is at most 4 bytes: surely fits
            return data, False
        encoded = data.encode("utf-8", "surrogatepass")
        if len(encoded) <= max_bytes:
            return data, False
        return encoded[:max_bytes].decode("utf-8", "ignore"), True
    if len(data) <= max_bytes:
        return data, False
    return data[:max_bytes], True


def nesting_depth(markup: str) -> int:
    """An estimate, from above, of how deep the parsed markup nests elements.

    Keeps a stack of open elements the way an HTML parser does, but only pops what a
    parser surely pops (an end tag matching an open element above implicitly closed
    ones, a sibling ``<li>`` or ``<td>``, a block closing a ``<p>``), so stray end tags
    cannot hide nesting. Linear time.

    >>> nesting_depth("<div><span>a</span><br><p>b<p>c</div>")
    2
    >>> nesting_depth("<div></span>" * 50)  # stray end tags close nothing
    50
    """
    depth = _estimate(markup)
    if depth > MAX_DEPTH:  # tags inside scripts and comments may have inflated it
        depth = _estimate(_without_code(markup))
    return depth


def _estimate(markup: str) -> int:
    stack: list[str] = []
    deepest = foreign = 0  # foreign: how many <svg> and <math> are open
    for slash, raw, closed in _TAG.findall(markup):
        name = raw.lower()
        if name in _VOID:
            continue
        if not slash:
            if closed and foreign:
                continue
            if stack and stack[-1] == "p" and name in _CLOSES_P:
                stack.pop()
            if stack and name in _SIBLINGS and stack[-1] in _SIBLINGS[name]:
                stack.pop()
            stack.append(name)
            if name in _FOREIGN:
                foreign += 1
            if len(stack) > deepest:
                deepest = len(stack)
            continue
        if stack and stack[-1] == name:  # the common case: the element on top is closed
            stack.pop()
            if name in _FOREIGN:
                foreign -= 1
            continue
        passable = _PASSABLE.get(name, _IMPLIED_END)
        i = len(stack) - 1
        while i >= 0 and stack[i] != name and stack[i] in passable:
            i -= 1
        if i >= 0 and stack[i] == name:
            if foreign:
                foreign -= sum(1 for n in stack[i:] if n in _FOREIGN)
            del stack[i:]
    return deepest


def _without_code(markup: str) -> str:
    """The markup without scripts, styles and comments (whose text holds no tags), in linear time.

    >>> _without_code("a<script>if (a<b) x()</script>b<!-- <div> -->c<style>")
    'abc'
    """
    parts: list[str] = []
    position = 0
    while (start := _CODE_START.search(markup, position)) is not None:
        parts.append(markup[position : start.start()])
        name = start.group(1)
        end_mark = re.compile(rf"</{name}\s*>", re.IGNORECASE) if name else re.compile("-->")
        end = end_mark.search(markup, start.end())
        if end is None:
            return "".join(parts)
        position = end.end()
    parts.append(markup[position:])
    return "".join(parts)


def _cut_after_tags(markup: str, max_tags: int) -> str:
    """The markup up to (not including) its ``max_tags + 1``-th ``<``."""
    low, high = 0, len(markup)
    while low < high:  # the shortest prefix holding max_tags + 1 "<", by bisection
        middle = (low + high) // 2
        if markup.count("<", 0, middle + 1) > max_tags:
            high = middle
        else:
            low = middle + 1
    return markup[:low]


def bound_markup(markup: str, options: Options) -> Bounded:
    """Apply ``max_nodes``, :data:`MAX_DEPTH` and :data:`MAX_ATTRIBUTES` to decoded markup."""
    truncated = False
    tags = markup.count("<")
    if tags > options.max_nodes:
        markup, truncated = _cut_after_tags(markup, options.max_nodes), True
        tags = options.max_nodes
    if _ATTRIBUTE_BOMB.search(markup):
        return Bounded(
            markup="", truncated=truncated,
            refused=f"an element has more than {MAX_ATTRIBUTES} attributes: refused, since parsing it "
            "would take hours; check that the input is really a web page",
        )
    flattened = False
    # Each start tag opens one element at most, and each "<" but those of end tags may begin
    # one: with no more of them than MAX_DEPTH, the markup cannot nest deeper, and the
    # estimate (a Python loop over every tag) is not needed.
    if tags - markup.count("</") > MAX_DEPTH and nesting_depth(markup) > MAX_DEPTH:
        markup, flattened = _DROPPABLE_TAG.sub(" ", markup), True
        depth = nesting_depth(markup)
        if depth > MAX_DEPTH:
            return Bounded(
                markup="", truncated=truncated, flattened=True,
                refused=f"elements nest about {depth} levels deep, beyond the limit of {MAX_DEPTH}, "
                "even after flattening: refused; check that the input is really a web page",
            )
    return Bounded(markup, truncated=truncated, flattened=flattened)


class TimedOut(Exception):
    """Raised once a :class:`Deadline` has passed; ``clean()`` turns it into a reason."""


class Deadline:
    """A time limit of ``timeout`` seconds (``None``: none) from ``started``.

    The one clock of a page or a fetch: ``check`` raises between stages and inside long
    loops, ``remaining`` bounds a wait, and ``extend`` gives back time spent queueing.

    >>> Deadline.start(None).check("parsing")
    >>> Deadline(1.0, started=time.monotonic() - 5).check("extraction")
    Traceback (most recent call last):
    ...
    newsclean.page.limits.TimedOut: timed out before extraction: 5.0 s spent, limit 1 s \
(raise Options.timeout to allow more)
    >>> Deadline.start(2.0).remaining() > 1.9
    True
    """

    __slots__ = ("end", "started", "timeout")

    def __init__(self, timeout: float | None, *, started: float | None = None) -> None:
        self.timeout = timeout
        self.started = time.monotonic() if started is None else started
        self.end = math.inf if timeout is None else self.started + timeout

    @classmethod
    def start(cls, timeout: float | None) -> Deadline:
        """A deadline ``timeout`` seconds from now (``None``: never)."""
        return cls(timeout)

    def remaining(self) -> float:
        """Seconds left (``inf`` without a limit; negative once passed)."""
        return self.end - time.monotonic()

    def spent(self) -> float:
        """Seconds since the start."""
        return time.monotonic() - self.started

    def extend(self, seconds: float) -> None:
        """Move the end ``seconds`` later (time spent waiting that does not count)."""
        self.end += seconds

    def check(self, stage: str) -> None:
        """Raise :class:`TimedOut` naming ``stage`` if the time is up."""
        if time.monotonic() > self.end:
            raise TimedOut(
                f"timed out before {stage}: {self.spent():.1f} s spent, limit {self.timeout:g} s "
                "(raise Options.timeout to allow more)"
            )
