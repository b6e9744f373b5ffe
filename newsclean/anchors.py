"""Anchors: words every match of a rule's regular expression must contain, found from its
syntax, so that a line is matched only against the rules whose words it holds.

Each text rule matches a whole line, case-insensitively, and most lines are not furniture;
yet each line used to be matched against every rule. :class:`Gate` finds, in one pass in C
(an Aho-Corasick automaton), which rules' anchors a line holds; only those rules (and the
few without anchors) are then tried, in order, so the first rule that matches is the same.

>>> sorted(literal_anchors(re.compile(r"most (?:read|viewed)(?: stories)?", re.IGNORECASE)))
['most read', 'most viewed']
>>> literal_anchors(re.compile(r".{0,80}")) is None
True
>>> rules = [re.compile(p, re.IGNORECASE) for p in ("most read", "getty(?: images)?", ".+")]
>>> Gate(rules).candidates("MOST READ"), Gate(rules).candidates("Storm hits the coast")
((0, 2), (2,))
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from re import _casefix  # type: ignore[attr-defined]  # re's own table of extra case pairs
from re import _constants as _c  # type: ignore[attr-defined]
from re import _parser as _parse  # type: ignore[attr-defined]
from typing import Any

import ahocorasick

__all__ = ["Gate", "fold", "literal_anchors", "pattern_width", "requires_char"]

_MAX_EXACT = 32  # alternatives of one exact stretch (more: the stretch ends)
_MAX_REQUIRED = 256  # anchors of one pattern (more: it has none)

# re.IGNORECASE takes two characters as equal when their (simple) lower cases are, or when
# re's table of extra cases pairs them ("ı" and "i", "ſ" and "s"): each is folded to the least.
_FOLD = {code: least for code, extra in _casefix._EXTRA_CASES.items()
         if (least := min((code, *extra))) != code}
_TO_FOLD = re.compile("[" + "".join(re.escape(chr(code)) for code in _FOLD) + "]")


def fold(text: str) -> str:
    """``text`` as :data:`re.IGNORECASE` compares it: two characters it takes as equal fold alike.

    >>> fold("MOST Read"), fold("ſtorm") == fold("STORM"), fold("İstanbul")
    ('most read', True, 'istanbul')
    """
    if text.isascii():  # (no ASCII character folds to another)
        return text.lower()
    if "İ" in text:  # the one character whose lower case is two ("i" and a dot): re takes it as "i"
        text = text.replace("İ", "i")
    text = text.lower()
    return text.translate(_FOLD) if _TO_FOLD.search(text) else text


def _sequence(items: Iterable[tuple[Any, Any]]) -> tuple[set[str] | None, set[str] | None]:
    """(required, exact) for a parsed sequence: ``required`` holds strings one of which every
    match contains, ``exact`` every string it can match (when few: then it joins its
    neighbours into longer anchors); None when there are none."""
    candidates: list[set[str]] = []
    run: set[str] = {""}  # the exact stretch so far
    whole: set[str] | None = {""}

    def end_run() -> None:
        if run != {""}:
            candidates.append(run)

    for op, value in items:
        exact: set[str] | None = None
        required: set[str] | None = None
        if op is _c.LITERAL:
            exact = {chr(value)}
        elif op is _c.IN and len(value) <= 4 and all(o is _c.LITERAL for o, _ in value):
            exact = {chr(v) for _, v in value}
        elif op is _c.SUBPATTERN:
            required, exact = _sequence(value[-1])
        elif op is _c.ATOMIC_GROUP:
            required, exact = _sequence(value)
        elif op is _c.BRANCH:
            branches = [_sequence(b) for b in value[1]]
            exacts = [e for _, e in branches]
            if all(e is not None for e in exacts):
                exact = set().union(*exacts)  # type: ignore[arg-type]
            requireds = [r for r, _ in branches]
            if all(r is not None for r in requireds):
                required = set().union(*requireds)  # type: ignore[arg-type]
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
            low, high, body = value
            inner_required, inner_exact = _sequence(body)
            if low == high == 1:
                exact, required = inner_exact, inner_required
            elif low >= 1:
                required = inner_required
                if inner_exact is not None:  # x{1,3}: the stretch so far ends with x, the next starts with it
                    joined = {a + b for a in run for b in inner_exact}
                    if len(joined) <= _MAX_EXACT:
                        candidates.append(joined)
                    if required:
                        candidates.append(required)
                    run, whole = set(inner_exact), None
                    continue
        if exact is not None and len(exact) > _MAX_EXACT:
            exact = None
        if required is not None and len(required) > _MAX_REQUIRED:
            required = None
        if exact is not None:
            joined = {a + b for a in run for b in exact}
            if len(joined) <= _MAX_EXACT:
                run = joined
                whole = {a + b for a in whole for b in exact} if whole is not None else None
                if whole is not None and len(whole) > _MAX_EXACT:
                    whole = None
                if required:
                    candidates.append(required)
                continue
        end_run()  # anything else (a class, a wildcard, an anchor, an optional part) ends the stretch
        run, whole = (set(exact) if exact is not None else {""}), None
        if required:
            candidates.append(required)
    end_run()
    usable = [c for c in candidates if c and "" not in c]
    best = max(usable, key=lambda c: (min(map(len, c)), -len(c)), default=None)
    return best, whole


@lru_cache(maxsize=1024)
def _literal_anchors(pattern: str, flags: int) -> frozenset[str] | None:
    try:
        parsed = _parse.parse(pattern, flags)
    except Exception:  # a pattern this parser reads otherwise: no anchors, always tried
        return None
    required, _ = _sequence(list(parsed))
    return frozenset(required) if required else None


def pattern_width(pattern: re.Pattern[str]) -> tuple[int, int]:
    """The shortest and longest text ``pattern`` can match (``re``'s own bounds; the longest
    is at least ``2**64`` when unbounded).

    >>> pattern_width(re.compile("getty(?: images)?")), pattern_width(re.compile("a.*"))[1] >= 2**64
    ((5, 12), True)
    """
    try:
        low, high = _parse.parse(pattern.pattern, pattern.flags).getwidth()
    except Exception:  # a pattern this parser reads otherwise: any length
        return 0, 1 << 64
    return int(low), int(high)


def requires_char(pattern: str, char: str) -> bool:
    """Whether every match of ``pattern`` holds ``char`` written literally in it (outside any
    optional part, any alternative lacking it, and any lookaround).

    >>> requires_char("follow \ue000(?: on .{1,40})?", "\ue000")
    True
    >>> requires_char("what people say(?: about (?:us|\ue000))?", "\ue000")
    False
    """
    try:
        return _requires(list(_parse.parse(pattern)), ord(char))
    except Exception:  # a pattern this parser reads otherwise: not known to require it
        return False


def _requires(items: Iterable[tuple[Any, Any]], code: int) -> bool:
    for op, value in items:
        if op is _c.LITERAL and value == code:
            return True
        if op is _c.SUBPATTERN and _requires(value[-1], code):
            return True
        if op is _c.ATOMIC_GROUP and _requires(value, code):
            return True
        if op is _c.BRANCH and all(_requires(branch, code) for branch in value[1]):
            return True
        repeated = op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT)
        if repeated and value[0] >= 1 and _requires(value[2], code):
            return True
    return False


def literal_anchors(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Strings one of which every match of ``pattern`` contains (as written: compare them
    folded when the pattern ignores case), or None if it has none."""
    return _literal_anchors(pattern.pattern, pattern.flags)


class Gate:
    """Which of ``patterns`` a text may match: those whose anchors it holds, and those
    without anchors. Patterns that do not ignore case are always candidates."""

    __slots__ = ("_always", "_automaton", "_in_order", "_owners")

    def __init__(self, patterns: Sequence[re.Pattern[str]]) -> None:
        owners: dict[str, set[int]] = {}
        always: set[int] = set()
        for i, pattern in enumerate(patterns):
            found = literal_anchors(pattern) if pattern.flags & re.IGNORECASE else None
            if not found:
                always.add(i)
                continue
            for anchor in found:
                owners.setdefault(fold(anchor), set()).add(i)
        self._always = frozenset(always)
        self._in_order = tuple(sorted(always))  # what a text holding no anchor may match
        self._owners = {anchor: frozenset(places) for anchor, places in owners.items()}
        self._automaton: Any = None
        if owners:
            self._automaton = ahocorasick.Automaton()
            for anchor in owners:
                self._automaton.add_word(anchor, anchor)
            self._automaton.make_automaton()

    def candidates(self, text: str, folded: str | None = None) -> tuple[int, ...]:
        """The places of the patterns ``text`` (``folded``: its :func:`fold`, when the caller
        has it) may match, in order."""
        if self._automaton is None:
            return self._in_order
        found: set[int] | None = None  # most texts hold no anchor: no set, no sort
        for _, anchor in self._automaton.iter(fold(text) if folded is None else folded):
            if found is None:
                found = set(self._always)
            found |= self._owners[anchor]
        return self._in_order if found is None else tuple(sorted(found))


@lru_cache(maxsize=512)
def gate(patterns: tuple[re.Pattern[str], ...]) -> Gate:
    """The :class:`Gate` of ``patterns``, built once (most sites share most rules)."""
    return Gate(patterns)
