"""Bounds on the work one page may cost: ``Options.max_bytes``, ``max_nodes`` and ``timeout``.

The parsers downstream are not linear on every input: Lexbor and libxml2 check each
new attribute against the element's others (a million attributes: hours), nesting
costs them time per level (100,000 levels: minutes), and libxml2 drops everything
below 256 levels anyway; an HTML parser re-opens every formatting element left open
(``<b id=1><b id=2>…``) in each new paragraph, so a few hundred of them before many
paragraphs make a tree of millions of elements. So markup is measured *before* it is
parsed, with regular expressions that run in linear time, and bounded:

- more bytes than ``max_bytes``: the tail is cut (``diagnostics.truncated``);
- more tags than ``max_nodes``: the page is cut after the last tag allowed;
- an element with more than :data:`MAX_ATTRIBUTES` attributes, or elements whose
  attributes would cost the parsers more than :data:`MAX_ATTRIBUTE_WORK` comparisons:
  the page is refused;
- formatting elements that the parser would re-open more than :data:`REOPEN_PER_TAG` times
  the page's tags (and :data:`MIN_REOPEN_BUDGET`): the formatting tags (``<b>``, ``<i>``,
  ``<font>``…) are dropped and the text kept (``diagnostics.flattened``);
- nesting deeper than :data:`MAX_DEPTH`: the nesting tags are dropped and the text kept
  (``diagnostics.flattened``); if that cannot bring the depth down, the page is refused.
  Shallower nesting is parsed as it is (Lexbor's cost per level is small up to there), and a
  tree that proves deeper than the extractor's walk can follow (Python's stack: a few hundred
  levels) is flattened after parsing, with :func:`flatten`, and cleaned again.

>>> page = bound_markup("<div>" * 5000 + "<p>Deep text.</p>", Options())
>>> page.flattened, page.markup.count("<div>"), "Deep text." in page.markup
(True, 0, True)
>>> bound_markup("<p>" + "<b>x</b>" * 10 + "</p>", Options(max_nodes=5)).markup
'<p><b>x</b><b>x</b>'
>>> print(bound_markup("<div " + " ".join(f"a{i}" for i in range(2000)) + ">", Options()).refused)
an element has more than 1000 attributes: refused, since parsing it would take hours; \
check that the input is really a web page
>>> reopened = bound_markup("<p>" + "".join(f"<b id={i}>" for i in range(200)) + "<p>x</p>" * 200, Options())
>>> reopened.flattened, "<b" in reopened.markup, reopened.markup.count("<p>x</p>")
(True, False, 200)
"""

from __future__ import annotations

import math
import re
import time
from collections import deque
from dataclasses import dataclass

from newsclean.options import Options

__all__ = [
    "MAX_ATTRIBUTES", "MAX_ATTRIBUTE_WORK", "MAX_DEPTH", "MIN_REOPEN_BUDGET", "REOPEN_PER_TAG", "Bounded",
    "Deadline", "TimedOut", "attribute_counts", "bound_markup", "cap_bytes", "flatten", "reopened_elements",
]

MAX_DEPTH = 3_000
"""Nesting deeper than this (estimated from the tags) is flattened before parsing. Lexbor's time
per level grows with the depth (3,000 levels: ~10 ms; 10,000: ~0.1 s; 100,000: minutes); a page
with fewer start tags than this cannot nest deeper, and skips the estimate (a Python loop over
its tags): nine in ten pages of 2025-26 do."""

MAX_ATTRIBUTES = 1_000
"""An element with more attributes than this makes the page be refused."""

MAX_ATTRIBUTE_WORK = 20_000_000
"""The attribute comparisons (the sum over elements of their attribute count squared,
counting only elements with :data:`_MANY_ATTRIBUTES` or more) above which the page is
refused: Lexbor spends ~2 ns on each, and libxml2 as much again (20 million: ~0.1 s)."""

REOPEN_PER_TAG = 8
"""Elements the parser may re-open from formatting left open, per tag of the page (real pages:
at most 4, estimated from above), plus :data:`MIN_REOPEN_BUDGET`; past that the formatting
tags are dropped."""

MIN_REOPEN_BUDGET = 10_000
"""Elements the parser may re-open from formatting left open, however few tags the page has."""

# A start or end tag as one string (half the cost of a tuple of groups): "/" for an end tag and
# its name, and for a self-closing tag ("<path d=x/>") its rest too, up to the final "/".
# Linear time: the tag's rest is taken possessively up to ">" (or the end, when there is no
# ">": then the search goes on from there, never rescanning).
_TAG_STRING = re.compile(r"<(/?[a-zA-Z][a-zA-Z0-9:-]*+(?:[^>]*+(?<=/)(?=>))?+)[^>]*+>?")
_NAME = re.compile(r"[a-zA-Z][a-zA-Z0-9:-]*+")
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
# One attribute as the HTML tokenizer reads it: separators (whitespace, "/"), a name (any
# character but whitespace, "/" and ">", so quotes and "<" too; "=" only as its first), and an
# optional value, quoted or not. No separator is needed after a quoted value (a0="1"a1="1").
# Every piece is atomic (possessive), so a failed match never backtracks.
_ATTRIBUTE = r"""(?>[\s/]*+[^\s/>][^\s/>=]*+(?>\s*+=\s*+(?>"[^"]*+"|'[^']*+'|[^\s>"'][^\s>]*+)?+)?+)"""
_ATTRIBUTE_ONE = re.compile(_ATTRIBUTE)
_MANY_ATTRIBUTES = 100  # elements with fewer are not counted one by one: no real page comes close
# A tag (start or end: Lexbor reads attributes in both) with _MANY_ATTRIBUTES attributes or more:
# the quick search. A failed try reads at most that many attributes, so it is linear time.
_MANY_ATTRIBUTES_TAG = re.compile(rf"</?[a-zA-Z][^\s/>]*+{_ATTRIBUTE}{{{_MANY_ATTRIBUTES}}}")
# A whole tag, its rest consumed quote by quote so that a scan never starts again inside it;
# group 1 is set when it holds _MANY_ATTRIBUTES attributes or more.
_TAG_ATTRIBUTES = re.compile(
    rf"</?[a-zA-Z][^\s/>]*+(?:(?={_ATTRIBUTE}{{{_MANY_ATTRIBUTES}}})([\s/]))?"
    r"""(?:[^>"']++|"[^"]*+"|'[^']*+')*+"""
)
# Formatting elements that the parser re-opens (the adoption agency algorithm) in each new
# block while they are left open; <a> and <nobr> are not counted: a new one closes the last.
_REOPENED = frozenset(["b", "big", "code", "em", "font", "i", "s", "small", "strike", "strong", "tt", "u"])


def _any_case(*names: str) -> str:
    """An alternation of ``names`` in any case, as character classes: a pattern that starts
    with a literal "<" is searched several times faster without ``re.IGNORECASE``.

    >>> _any_case("b", "em")
    '(?:[bB]|[eE][mM])'
    """
    return "(?:" + "|".join("".join(f"[{c.lower()}{c.upper()}]" for c in name) for name in names) + ")"


_REOPENED_NAMES = _any_case(*sorted(_REOPENED))
# Inline start tags that pop nothing off the stack of open elements (but re-open formatting).
_INLINE = frozenset(["abbr", "bdi", "bdo", "br", "cite", "data", "dfn", "img", "input", "kbd", "label",
                     "mark", "q", "samp", "span", "sub", "sup", "time", "var", "wbr"])
_QUOTED_REST = r"""(?:[^>"']++|"[^"]*+"|'[^']*+')*+"""  # the rest of a tag, quote-aware
# A formatting start tag: group 1 holds the whole element when it is closed around nothing but
# text and inline tags (it is never re-opened), and is empty when it is left open longer.
_REOPENED_ELEMENT = re.compile(
    rf"<(?=[bBcCeEfFiIsStTuU]){_REOPENED_NAMES}(?=[\s/>])(?:({_QUOTED_REST}>"  # the lookahead: 40% faster
    rf"(?:[^<]++|</?{_any_case('a', *sorted(_INLINE))}(?=[\s/>]){_QUOTED_REST}>)*+</{_REOPENED_NAMES}\s*+>))?"
)
_REOPENED_TAG = re.compile(rf"</?{_REOPENED_NAMES}(?=[\s/>]){_QUOTED_REST}>?")
# The text before a tag, then the tag: "/" for an end tag, its name, and its attributes (the
# key that tells two formatting elements apart), quote-aware.
# Every "<" that begins no tag is text, and the last text matches the end of the markup, so that
# a failed match never makes the scan start again inside the text (linear time).
_TEXT_AND_TAG = re.compile(
    r"""((?:[^<]++|<(?!/?[a-zA-Z]))*+)(?:<(/?)([a-zA-Z][a-zA-Z0-9:-]*+)((?:[^>"']++|"[^"]*+"|'[^']*+')*+)>?|\Z)"""
)
# Elements whose start pushes a marker on the list of active formatting elements, and whose end
# clears the list back to it.
_MARKERS = frozenset(["applet", "caption", "marquee", "object", "td", "th", "template"])
_NOAHS_ARK = 3  # the parser keeps at most this many identical formatting elements open


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
    read: dict[str, tuple[bool, str, bool]] = {}  # a page has few distinct tag strings
    for tag in _TAG_STRING.findall(markup):
        if (known := read.get(tag)) is None:
            known = read[tag] = _read_tag(tag)
        slash, name, closed = known
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


def _read_tag(tag: str) -> tuple[bool, str, bool]:
    """An item of :data:`_TAG_STRING`: whether it is an end tag, its name in lower case, and
    whether it closes itself.

    >>> _read_tag("/DIV"), _read_tag("path d='1'/")
    ((True, 'div', False), (False, 'path', True))
    """
    slash = tag[0] == "/"
    closed = tag[-1] == "/"
    name = _NAME.match(tag, slash).group() if closed else tag[1:] if slash else tag  # type: ignore[union-attr]
    return slash, name.lower(), closed


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


def attribute_counts(markup: str) -> list[int]:
    """How many attributes each element holding :data:`_MANY_ATTRIBUTES` or more has, as the
    HTML tokenizer counts them (scripts, styles and comments left out). Linear time.

    >>> attribute_counts('<div ' + ''.join(f'a{i}="1"' for i in range(150)) + '>x</div><p class="a">')
    [150]
    >>> attribute_counts('<div ' + ' '.join(f'a"{i}=1' for i in range(120)) + '>')
    [120]
    >>> attribute_counts('<script>if (a<b ' + 'c ' * 200 + ') {}</script>')
    []
    """
    if _MANY_ATTRIBUTES_TAG.search(markup) is None:  # the common case: no tag comes close
        return []
    # Nearly always a script's "a<b.length; ..." (one page in ten): searched again without code
    # (half the cost of counting each tag's attributes, and never a different answer: no match
    # anywhere, no tag whose group 1 is set).
    code_free = _without_code(markup)
    if _MANY_ATTRIBUTES_TAG.search(code_free) is None:
        return []
    return [len(_ATTRIBUTE_ONE.findall(code_free, m.start(1), m.end()))
            for m in _TAG_ATTRIBUTES.finditer(code_free) if m.group(1) is not None]


def reopened_elements(markup: str) -> int:
    """An estimate, from above, of how many elements an HTML parser creates when it re-opens
    formatting elements left open (``<p><b id=1><b id=2>x</p><p>y</p>``: two more ``<b>`` in
    the second paragraph).

    It simulates the list of active formatting elements (each removed by its end tag, the
    earliest of four identical ones dropped, cleared back to a table cell's marker at its end)
    and, at the first text or inline start tag after a tag that may pop them off the stack of
    open elements, counts all that are in the list. Linear time.

    >>> reopened_elements("<p><b id=1><i>x</p><p>y</p><p>z</p>")
    4
    >>> reopened_elements("<p><b>x</b></p><p>y</p>")
    0
    >>> reopened_elements("<p>" + "<b>" * 100 + "x</p><p>y</p>")  # the parser keeps three identical
    3
    """
    sections = [_Section()]  # the list, in parts: each marker starts one; only the last re-opens
    created = 0
    popped = False  # a tag since the last re-opening may have popped them
    for text, slash, raw, attributes in _TEXT_AND_TAG.findall(markup):
        if not raw:  # the end
            break
        name = raw.lower()
        reopens = bool(text) or (not slash and (name in _REOPENED or name in _INLINE))
        section = sections[-1]
        if popped and reopens:
            created += len(section.keys)
            popped = False
        if name in _REOPENED:
            if not slash:
                section.push(name, f"{name} {' '.join(attributes.split())}")
                continue
            section.close(name)
            popped = True
        elif name in _MARKERS:
            if not slash:
                sections.append(_Section())
            elif len(sections) > 1:
                sections.pop()
            popped = True
        elif slash or name not in _INLINE:
            popped = True
    return created


class _Section:
    """The formatting elements after one marker of the list of active formatting elements, each
    step in constant time (a run of 60,000 left open took 17 s when each looked along the list):
    ``keys`` by entry number, in order; each key's entries and each name's, oldest first."""

    __slots__ = ("by_key", "by_name", "keys", "serial")

    def __init__(self) -> None:
        self.keys: dict[int, str] = {}
        self.by_key: dict[str, deque[int]] = {}
        self.by_name: dict[str, list[int]] = {}  # may hold entries gone by the Noah's Ark clause
        self.serial = 0

    def push(self, name: str, key: str) -> None:
        """A start tag: its element joins the list, the earliest of ``_NOAHS_ARK`` identical goes."""
        same = self.by_key.setdefault(key, deque())
        if len(same) >= _NOAHS_ARK:
            del self.keys[same.popleft()]
        self.serial += 1
        self.keys[self.serial] = key
        same.append(self.serial)
        self.by_name.setdefault(name, []).append(self.serial)

    def close(self, name: str) -> None:
        """An end tag: the latest element of that name leaves the list (it is the latest of its
        key too, every element of the key having that name)."""
        entries = self.by_name.get(name)
        while entries:
            key = self.keys.pop(entries.pop(), None)
            if key is not None:
                self.by_key[key].pop()
                return


def _reopens_too_many(markup: str, tags: int) -> bool:
    """Whether the parser would re-open formatting elements more than :data:`REOPEN_PER_TAG`
    times the page's tags (and :data:`MIN_REOPEN_BUDGET`).

    Each re-opening happens at a text or a tag, and re-opens only elements left open: a
    formatting element closed around text and inline tags alone (``<b>x <a>y</a></b>``) never
    is, and ``<a>`` re-opens at most one. So with ``k`` others, at most ``k + 1`` are re-opened
    at each of the page's tags: when that stays within the budget whatever the order, the
    simulation (a Python loop over every tag) is not needed.

    >>> _reopens_too_many("<p>" + "<b>" * 9 + "x</p><p>y</p>" * 10, 29)  # 9 left open, 29 tags
    False
    """
    budget = REOPEN_PER_TAG * tags + MIN_REOPEN_BUDGET
    if (_REOPENED_ELEMENT.findall(markup).count("") + 1) * tags <= budget:
        return False
    return reopened_elements(markup) > budget


def bound_markup(markup: str, options: Options) -> Bounded:
    """Apply ``max_nodes``, the attribute limits, the re-opening budget and :data:`MAX_DEPTH`
    to decoded markup."""
    truncated = False
    tags = markup.count("<")
    if tags > options.max_nodes:
        markup, truncated = _cut_after_tags(markup, options.max_nodes), True
        tags = options.max_nodes
    counts = attribute_counts(markup)
    if counts and (max(counts) > MAX_ATTRIBUTES or sum(k * k for k in counts) > MAX_ATTRIBUTE_WORK):
        most = max(counts)
        return Bounded(
            markup="", truncated=truncated,
            refused=(f"an element has more than {MAX_ATTRIBUTES} attributes: refused, since parsing it would "
                     "take hours" if most > MAX_ATTRIBUTES else
                     f"{len(counts)} elements have {sum(counts)} attributes: refused, since parsing them "
                     "would take minutes") + "; check that the input is really a web page",
        )
    flattened = False
    if _reopens_too_many(markup, tags):
        markup, flattened = _REOPENED_TAG.sub("", markup), True
    # Each start tag opens one element at most, and each "<" but those of end tags may begin
    # one: with no more of them than MAX_DEPTH, the markup cannot nest deeper, and the
    # estimate (a Python loop over every tag) is not needed.
    if tags > MAX_DEPTH and tags - markup.count("</") > MAX_DEPTH and nesting_depth(markup) > MAX_DEPTH:
        markup, refused = flatten(markup)
        if refused:
            return Bounded(markup="", truncated=truncated, flattened=True, refused=refused)
        flattened = True
    return Bounded(markup, truncated=truncated, flattened=flattened)


def flatten(markup: str) -> tuple[str, str | None]:
    """The markup without the tags that nest (its text kept), and why to refuse the page when
    even that leaves it nested deeper than :data:`MAX_DEPTH` (else None).

    >>> flatten("<div><section><p>Deep <span>text</span>.</p></section></div>")
    ('  <p>Deep  text .</p>  ', None)
    >>> print(flatten('<div title="<">' * 4000)[1])
    elements nest about 4000 levels deep, beyond the limit of 3000, even after flattening: \
refused; check that the input is really a web page
    """
    flat = _DROPPABLE_TAG.sub(" ", markup)
    depth = nesting_depth(flat)
    if depth > MAX_DEPTH:
        return flat, (f"elements nest about {depth} levels deep, beyond the limit of {MAX_DEPTH}, "
                      "even after flattening: refused; check that the input is really a web page")
    return flat, None


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
