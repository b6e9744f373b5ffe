"""Rule packs: furniture described as data (TOML), compiled once, applied by id.

A pack is a TOML file with a ``[pack]`` table and ``[[rule]]`` entries. Kinds:

``selector``  CSS selectors; matching DOM nodes are removed.
``token``     words matched on word boundaries against ``class``/``id``/``data-*``
              names (``"most-read"`` matches ``class="c-most-read__list"``, never
              ``"unread"``); the matching node is removed.
``heading``   a widget heading's whole text (regex, case-insensitive); the heading and
              the teaser block it introduces are removed. ``{site}`` stands for the
              site's name.
``credit``    a whole line that is a photo or video credit (regex).
``line``      a whole line that is furniture wherever it stands (regex).

Three kinds act in text mode only (``clean_text``: leaked text, line by line):

``comments``  a whole line that opens a comment thread ("12 Comments", "Leave a Reply") or
              is one comment's furniture ("Jane says:", "Reply"); the thread is cut from it.
``notice``    a sentence searched *inside* a line (cookie banners, comment-form notices,
              promos); the line goes, whatever its length up to ``NOTICE_MAX_WORDS`` words.
``byline``    a whole line naming the author, the name in the group ``name`` (case-sensitive:
              a name is capitalised; a prefix may carry its own ``(?i:...)``).

A pack with ``text_only = true`` is used by ``clean_text`` only (the shipped ``textmode`` pack:
the text-mode kinds and the headings and lines that leak into text). A pack with ``page_kinds``
(say ``["product", "collection"]``) is used only on pages judged to be of one of those kinds, after
the kind is decided (the shipped ``nonarticle`` pack: price tags, buttons and footer links that a
shop or a service page shows and an article would not). Every rule has a stable
``id``; every removal records it. A publisher pack names its ``domains`` and may ``disable``
generic rules by id.

>>> rules = Rules.default()
>>> "generic" in [p.id for p in rules.packs]
True
>>> compiled = rules.compile("https://www.gbnews.com/news/x")
>>> compiled.match_heading("Trending on GB News")
'generic.heading.trending'
>>> compiled.match_credit("Getty Images")
'generic.credit.agency'
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from mypy_extensions import mypyc_attr

from newsclean.anchors import Gate, fold, gate, pattern_width, requires_char
from newsclean.errors import RuleError

__all__ = ["NOTICE_MAX_WORDS", "PAGE_KINDS", "TEXT_KINDS", "CompiledRules", "Pack", "Rule", "RuleKind",
           "Rules", "SiteRegex"]

RuleKind = Literal["selector", "token", "heading", "credit", "line", "comments", "notice", "byline"]
_KINDS = ("selector", "token", "heading", "credit", "line", "comments", "notice", "byline")
TEXT_KINDS = ("comments", "notice", "byline")
"""The kinds that act in text mode only (:func:`newsclean.clean_text`)."""
PAGE_KINDS = ("article", "service", "product", "collection", "forum", "listing", "documentation")
"""The kinds of page a pack's ``page_kinds`` may name (those :mod:`newsclean.page.kind` tells apart)."""
NOTICE_MAX_WORDS = 120
"""A ``notice`` rule is searched only in lines of at most this many words: a cookie banner can
run to a paragraph, but a 150-word paragraph that mentions cookies is an article about them."""
_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
_TOKEN = re.compile(r"^[a-z0-9]+(?:[-_ ][a-z0-9]+)*$")
_SITE_WORDS = r"[^\s:|]{1,30}(?: [^\s:|]{1,30}){0,3}"
_STATE_WORDS = frozenset({"no", "has", "with", "without", "not"})
_EMBED_WORDS = frozenset({"embed", "embedded", "embeds"})


def _by_fields(obj: Any) -> tuple[Any, ...]:
    """How pickle and copy remake a frozen rule object: its class called with its fields (the
    compiled build's classes refuse the default, which sets the fields one by one).

    >>> _by_fields(Rule(id="a", kind="line", patterns=("x",)))[1]
    ('a', 'line', ('x',), '')
    """
    return type(obj), tuple(getattr(obj, f.name) for f in fields(obj))


@dataclass(frozen=True)
class Rule:
    """One rule: ``id``, ``kind``, its ``patterns`` and a human ``why``."""

    id: str
    kind: RuleKind
    patterns: tuple[str, ...]
    why: str = ""

    def __reduce__(self) -> tuple[Any, ...]:
        return _by_fields(self)


@dataclass(frozen=True)
class Pack:
    """A named set of rules, generic or for the publishers listed in ``domains``."""

    id: str
    rules: tuple[Rule, ...]
    domains: tuple[str, ...] = ()
    site_names: tuple[str, ...] = ()
    disable: tuple[str, ...] = ()
    source: str = "<rules>"
    learned: bool = False  # learned from a site's pages: its selectors get the prose guard
    text_only: bool = False  # used by clean_text only (text mode), never on pages
    page_kinds: tuple[str, ...] = ()  # used only on pages of these kinds, once the kind is decided

    def __reduce__(self) -> tuple[Any, ...]:
        return _by_fields(self)

    def __hash__(self) -> int:
        # Equal packs share these; hashing every rule's patterns instead cost ~0.15 ms a page
        # (the compiled rules are cached by the packs in force, looked up twice a page).
        return hash((self.id, self.source, len(self.rules)))

    def applies_to(self, host: str | None) -> bool:
        """True for generic packs, and for a host equal to or under one of ``domains``."""
        if not self.domains:
            return True
        if not host:
            return False
        return any(host == d or host.endswith("." + d) for d in self.domains)

    @classmethod
    def from_toml(cls, text: str, source: str = "<rules>") -> Pack:
        """Parse and validate a pack; any problem is a :class:`RuleError` naming it."""
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise RuleError(f"not valid TOML: {exc}", source=source) from None
        meta = data.get("pack")
        if not isinstance(meta, dict) or not isinstance(meta.get("id"), str):
            raise RuleError("missing [pack] table with a string 'id'", source=source)
        unknown = set(data) - {"pack", "rule"}
        if unknown:
            raise RuleError(f"unknown top-level keys {sorted(unknown)}", source=source)
        unknown = set(meta) - {"id", "domains", "site_names", "disable", "learned", "text_only", "page_kinds"}
        if unknown:
            raise RuleError(f"unknown [pack] keys {sorted(unknown)}", source=source)
        for flag in ("learned", "text_only"):
            if not isinstance(meta.get(flag, False), bool):
                raise RuleError(f"'{flag}' must be true or false", source=source)
        raw_rules = data.get("rule", [])
        if not isinstance(raw_rules, list):
            raise RuleError("'rule' must be an array of tables ([[rule]])", source=source)
        page_kinds = _strings(meta, "page_kinds", source)
        if bad := [k for k in page_kinds if k not in PAGE_KINDS]:
            raise RuleError(f"'page_kinds' must name kinds among {', '.join(PAGE_KINDS)}, not {bad}",
                            source=source)
        rules = tuple(_parse_rule(r, i, source) for i, r in enumerate(raw_rules))
        seen: set[str] = set()
        for rule in rules:
            if rule.id in seen:
                raise RuleError("duplicate rule id", source=source, rule=rule.id)
            seen.add(rule.id)
        return cls(
            id=meta["id"],
            rules=rules,
            domains=tuple(d.lower().lstrip(".") for d in _strings(meta, "domains", source)),
            site_names=_strings(meta, "site_names", source),
            disable=_strings(meta, "disable", source),
            source=source,
            learned=meta.get("learned", False),
            text_only=meta.get("text_only", False),
            page_kinds=page_kinds,
        )


def _strings(table: dict[str, Any], key: str, source: str, rule: str | None = None) -> tuple[str, ...]:
    value = table.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RuleError(f"'{key}' must be a string or a list of strings", source=source, rule=rule)
    return tuple(value)


def _parse_rule(raw: Any, index: int, source: str) -> Rule:
    if not isinstance(raw, dict):
        raise RuleError(f"rule #{index + 1} is not a table", source=source)
    rule_id = raw.get("id")
    if not isinstance(rule_id, str) or not _ID.match(rule_id):
        raise RuleError(
            f"rule #{index + 1} needs an 'id' of lowercase letters, digits, '.', '-', '_'",
            source=source,
        )
    kind = raw.get("kind")
    if kind not in _KINDS:
        raise RuleError(f"'kind' must be one of {', '.join(_KINDS)}, not {kind!r}",
                        source=source, rule=rule_id)
    unknown = set(raw) - {"id", "kind", "patterns", "why"}
    if unknown:
        raise RuleError(f"unknown keys {sorted(unknown)}", source=source, rule=rule_id)
    patterns = _strings(raw, "patterns", source, rule_id)
    if not patterns:
        raise RuleError("'patterns' must not be empty", source=source, rule=rule_id)
    for pattern in patterns:
        _check_pattern(kind, pattern, source, rule_id)
    why = raw.get("why", "")
    if not isinstance(why, str):
        raise RuleError("'why' must be a string", source=source, rule=rule_id)
    return Rule(id=rule_id, kind=kind, patterns=patterns, why=why)


def _check_pattern(kind: str, pattern: str, source: str, rule_id: str) -> None:
    if kind == "token":
        if not _TOKEN.match(pattern.lower()):
            raise RuleError(f"token {pattern!r} must be words joined by '-', '_' or ' '",
                            source=source, rule=rule_id)
    elif kind == "selector":
        from selectolax.lexbor import LexborHTMLParser

        try:
            LexborHTMLParser("<p></p>").css(pattern)
        except Exception as exc:  # selectolax raises several types for bad CSS
            raise RuleError(f"bad CSS selector {pattern!r}: {exc}", source=source,
                            rule=rule_id) from None
    else:
        if kind in TEXT_KINDS and "{site}" in pattern:
            raise RuleError(f"{{site}} is not known in {kind} rules", source=source, rule=rule_id)
        try:
            compiled = re.compile(pattern.replace("{site}", _SITE_WORDS))
        except re.error as exc:
            raise RuleError(f"bad regex {pattern!r}: {exc}", source=source, rule=rule_id) from None
        if kind == "byline" and "name" not in compiled.groupindex:
            raise RuleError(f"byline pattern {pattern!r} needs a group (?P<name>...)", source=source,
                            rule=rule_id)


def name_words(name: str) -> tuple[str, ...]:
    """Split a class/id name into lowercase words on separators and camelCase (uncached:
    :func:`split_words` is the cached one, for callers that meet the same names again).

    >>> name_words("c-mostRead__list2")
    ('c', 'most', 'read', 'list2')
    """
    if not name.islower():  # most names have no capital, so no camelCase to split
        name = _CAMEL.sub(" ", name).lower()
    return tuple(_WORD.findall(name))  # twice as fast as splitting on the rest and dropping ""


_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_WORD = re.compile(r"[a-zA-Z0-9]+")

split_words = lru_cache(maxsize=8192)(name_words)


@dataclass(frozen=True)
class CompiledRules:
    """The rules in force for one host, compiled for fast matching."""

    selectors: tuple[tuple[str, str], ...]  # (rule id, css)
    tokens: dict[tuple[str, ...], str] = field(hash=False, compare=False)
    first_words: frozenset[str] = frozenset()
    heading: tuple[tuple[str, re.Pattern[str]], ...] = ()
    credit: tuple[tuple[str, re.Pattern[str] | SiteRegex], ...] = ()
    line: tuple[tuple[str, re.Pattern[str] | SiteRegex], ...] = ()
    comments: tuple[tuple[str, re.Pattern[str]], ...] = ()
    notice: tuple[tuple[str, re.Pattern[str]], ...] = ()
    byline: tuple[tuple[str, re.Pattern[str]], ...] = ()
    site_patterns: tuple[re.Pattern[str], ...] = ()
    site_names: tuple[str, ...] = ()
    guarded: frozenset[str] = frozenset()  # selector rules with the prose guard (learned packs')
    # Each kind's gate: which of its rules a line may match (those whose anchors it holds,
    # found in one pass in C), so that a line is tried against those only. The compiler gives
    # the rules naming the site no gate (they are tried on a line holding one of the site's
    # names), so that the gates, and their automata, are shared by every site.
    gates: dict[str, _KindGate] = field(default_factory=dict, repr=False, compare=False, hash=False)
    # One gate for the fixed line, heading and credit rules together (a line asks all three),
    # and where each kind's rules stand in it.
    furniture_gate: Gate | None = field(default=None, repr=False, compare=False, hash=False)
    furniture_spans: tuple[tuple[str, int, int], ...] = field(default=(), repr=False, compare=False)
    # (kind, rule id, pattern, the shortest and longest text it matches) at each place of the
    # furniture gate, for a line that no rule naming the site may match: then the gate's
    # places, in order, are all the candidates.
    furniture_rules: tuple[tuple[str, str, re.Pattern[str], int, int], ...] = field(
        default=(), repr=False, compare=False)
    # The site's names (folded) whose presence in a line makes the rules naming the site
    # candidates too; ``named_anywhere``: some of them are candidates on every line.
    named_names: tuple[str, ...] = field(default=(), repr=False, compare=False)
    named_anywhere: bool = field(default=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for kind in ("heading", "credit", "line", *TEXT_KINDS):
            if kind not in self.gates:
                rules = getattr(self, kind)
                patterns = tuple(_compiled(p) for _, p in rules)
                self.gates[kind] = _KindGate(gate(patterns), tuple(range(len(rules))))
        if "site" not in self.gates:
            self.gates["site"] = _KindGate(gate(self.site_patterns), tuple(range(len(self.site_patterns))))

    def match_tokens(self, words: tuple[str, ...]) -> str | None:
        """The id of the first token rule whose word sequence occurs in ``words``, unless
        a word of state comes before it (``no_caption``, ``has-sidebar`` name a property
        of the element, not the furniture itself) or a word naming an embed after it
        (``social-media-embed`` holds an embedded post, a quote of the article, not a
        share bar).

        >>> compiled = Rules.default().compile()
        >>> compiled.match_tokens(("image", "caption")), compiled.match_tokens(("image", "no", "caption"))
        ('generic.token.media', None)
        >>> compiled.match_tokens(("social", "media")), compiled.match_tokens(("social", "media", "embed"))
        ('generic.token.share', None)
        """
        for i, word in enumerate(words):
            if word not in self.first_words or (i and words[i - 1] in _STATE_WORDS):
                continue
            for length in (1, 2, 3, 4):
                rule = self.tokens.get(tuple(words[i : i + length]))
                if rule and i + length <= len(words):
                    if _EMBED_WORDS.intersection(words[i + length:]):
                        break
                    return rule
        return None

    def match_heading(self, text: str) -> str | None:
        """The id of the heading rule matching this whole text, if any."""
        return _first(self.heading, self.gates["heading"], _norm_line(text))

    def match_credit(self, text: str) -> str | None:
        """The id of the credit rule matching this whole text, if any."""
        return _first(self.credit, self.gates["credit"], _norm_line(text))

    def match_line(self, text: str) -> str | None:
        """The id of the furniture-line rule matching this whole text, if any."""
        return _first(self.line, self.gates["line"], _norm_line(text))

    def match_furniture(self, text: str, *, heading: bool = True) -> tuple[str, str] | None:
        """The first ``line``, ``heading`` (unless ``heading=False``) or ``credit`` rule matching
        this whole text, in that order, and its kind: what :meth:`match_line`,
        :meth:`match_heading` and :meth:`match_credit` would say one after the other, with the
        text normalised and folded once.

        >>> compiled = Rules.default().compile()
        >>> compiled.match_furniture("Most Read"), compiled.match_furniture("Reuters")
        (('generic.heading.most-read', 'heading'), ('generic.credit.agency', 'credit'))
        >>> compiled.match_furniture("Most Read", heading=False) is None
        True
        """
        line = _norm_line(text)
        if not line or len(line) > 300:
            return None
        folded = fold(line)
        found = self.furniture_gate.candidates(line, folded) if self.furniture_gate is not None else None
        if found is not None and not self.named_anywhere and not any(n in folded for n in self.named_names):
            # the common case: no rule naming the site is a candidate, so the gate's places
            # (line rules, then heading rules, then credit rules, each kind in order) are all
            rules, size = self.furniture_rules, len(line)
            for place in found:
                kind, rule_id, pattern, shortest, longest = rules[place]
                if shortest <= size <= longest and (heading or kind != "heading") and pattern.fullmatch(line):
                    return rule_id, kind
            return None
        for kind, start, end in self.furniture_spans or _NO_SPANS:
            if kind == "heading" and not heading:
                continue
            fixed = None if found is None else tuple(i - start for i in found if start <= i < end)
            rule = _first(getattr(self, kind), self.gates[kind], line, folded, fixed)
            if rule:
                return rule, kind
        return None

    def match_comments(self, text: str) -> str | None:
        """The id of the ``comments`` rule matching this whole line (a final colon allowed), if any.

        >>> compiled = Rules.default().compile(text=True)
        >>> compiled.match_comments("12 Kommentare"), compiled.match_comments("Tom Jones says:")
        ('textmode.comments.heading', 'textmode.comments.item')
        """
        if len(text) > 300:
            return None
        line = " ".join(text.split()).replace("’", "'").replace("‘", "'").strip(" |>»›-–—•·")
        return _first(self.comments, self.gates["comments"], line)

    def match_notice(self, text: str) -> str | None:
        """The id of the ``notice`` rule found *in* this line, if it has at most
        :data:`NOTICE_MAX_WORDS` words.

        >>> Rules.default().compile(text=True).match_notice(
        ...     "We use cookies to improve your experience. By continuing you agree to our policy.")
        'textmode.notice.cookies'
        """
        if len(text.split()) > NOTICE_MAX_WORDS:
            return None
        line = " ".join(text.split()).replace("’", "'")
        for i in self.gates["notice"].candidates(line):
            if self.notice[i][1].search(line):
                return self.notice[i][0]
        return None

    def match_byline(self, text: str) -> tuple[str, str] | None:
        """``(rule id, author's name)`` for a line that is a byline, else None.

        >>> compiled = Rules.default().compile(text=True)
        >>> compiled.match_byline("By Jane Roe | 18 November 2024")
        ('textmode.byline.by', 'Jane Roe')
        >>> compiled.match_byline("By the end of the year prices had doubled") is None
        True
        """
        if len(text) > 300:
            return None
        line = _norm_line(text)
        for i in self.gates["byline"].candidates(line):
            match = self.byline[i][1].fullmatch(line)
            if match and match.group("name"):
                return self.byline[i][0], match.group("name").strip(" ,&")
        return None

    def heading_site(self, text: str) -> str | None:
        """The site name a heading such as "More from GB News" reveals, if any."""
        text = _norm_line(text)
        for i in self.gates["site"].candidates(text):
            match = self.site_patterns[i].fullmatch(text)
            if match:
                return match.group("site")
        return None


def _norm_line(text: str) -> str:
    text = " ".join(text.split())
    if not text.isascii():
        text = text.replace("’", "'").replace("‘", "'")
    return text.strip(" :|>»›-–—•·")


@dataclass(frozen=True)
class _KindGate:
    """A kind's gate: the ``gate`` of the rules at ``places``; the places of the rules naming
    the site (``named``), tried on a line that holds one of its ``names`` (folded), or on
    every line for those at ``anywhere`` (the name is optional in them), and in both cases only
    when the line holds their words besides the name (``named_gate``: the gate of their
    patterns with any text in the name's place).

    >>> gate = Rules.default().compile("https://www.gbnews.com/news/x", "GB News").gates["line"]
    >>> rule = next(i for i in gate.named if "follow" in gate.templates[i])
    >>> [rule in gate.candidates(line) for line in ("Follow GB News on X", "GB News", "Follow us")]
    [True, False, False]
    """

    gate: Gate
    places: tuple[int, ...]
    named: tuple[int, ...] = ()
    names: tuple[str, ...] = ()
    anywhere: frozenset[int] = frozenset()
    named_gate: Gate | None = None  # over ``named``, in order
    templates: dict[int, str] = field(default_factory=dict, compare=False)  # place -> pattern text

    def candidates(self, text: str, folded: str | None = None,
                   fixed: tuple[int, ...] | None = None) -> list[int]:
        """The places of the rules ``text`` (``folded``: its :func:`fold`, when the caller has
        it; ``fixed``: what :attr:`gate` says of it, when the caller asked already) may match,
        in order."""
        folded = fold(text) if folded is None else folded
        found = [self.places[i] for i in (self.gate.candidates(text, folded) if fixed is None else fixed)]
        if not self.named:
            return found
        if any(name in folded for name in self.names):
            wanted = self.named
        elif self.anywhere:
            wanted = tuple(i for i in self.named if i in self.anywhere)
        else:
            return found
        if self.named_gate is not None:
            worded = {self.named[i] for i in self.named_gate.candidates(text, folded)}
            wanted = tuple(i for i in wanted if i in worded)
        return sorted(found + list(wanted)) if wanted else found


class SiteRegex:
    """A rule naming the site, compiled the first time a line may match it: compiling one
    for each new site costs ~0.15 ms, and most pages have no line naming their site.

    >>> rule = SiteRegex("more from (?:GB News)")
    >>> bool(rule.fullmatch("More from GB News")), rule.fullmatch("More from the BBC")
    (True, None)
    """

    __slots__ = ("_compiled", "pattern")

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self._compiled: re.Pattern[str] | None = None

    @property
    def regex(self) -> re.Pattern[str]:
        """The compiled regular expression (case-insensitive), compiled now if not yet."""
        if self._compiled is None:
            self._compiled = _regex(self.pattern)
        return self._compiled

    def fullmatch(self, text: str) -> re.Match[str] | None:
        """As :meth:`re.Pattern.fullmatch`."""
        return self.regex.fullmatch(text)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SiteRegex) and other.pattern == self.pattern

    def __hash__(self) -> int:
        return hash(self.pattern)

    def __repr__(self) -> str:
        return f"SiteRegex({self.pattern!r})"


def _compiled(pattern: re.Pattern[str] | SiteRegex) -> re.Pattern[str]:
    return pattern.regex if isinstance(pattern, SiteRegex) else pattern


def _first(rules: tuple[tuple[str, re.Pattern[str] | SiteRegex], ...], kind: _KindGate,
           text: str, folded: str | None = None, fixed: tuple[int, ...] | None = None) -> str | None:
    """The id of the first rule matching the whole ``text``, trying only those its gate lets through
    (``folded``: the text's :func:`fold`, when the caller has it; ``fixed``: what the gate of the
    kind's fixed rules says of it, when the caller asked already).

    >>> compiled = Rules.default().compile()
    >>> _first(compiled.credit, compiled.gates["credit"], "Getty Images")
    'generic.credit.agency'
    """
    if not text or len(text) > 300:
        return None
    for i in kind.candidates(text, folded, fixed):
        if rules[i][1].fullmatch(text):
            return rules[i][0]
    return None


@mypyc_attr(allow_interpreted_subclasses=True)
@dataclass(frozen=True)
class Rules:
    """An ordered collection of packs. Later packs extend earlier ones.

    Load the shipped packs with :meth:`default`, add your own with :meth:`load`.
    """

    packs: tuple[Pack, ...]

    def __reduce__(self) -> tuple[Any, ...]:
        return _by_fields(self)

    @classmethod
    def default(cls) -> Rules:
        """The packs shipped with newsclean: the generic pack and one per publisher."""
        return _default_rules()

    @classmethod
    def load(cls, *paths: str | Path, include_defaults: bool = True) -> Rules:
        """Rules from TOML files, on top of the shipped packs unless ``include_defaults=False``.

        Raises :class:`RuleError` naming the file, the rule and the problem.
        """
        packs = list(_default_rules().packs) if include_defaults else []
        for path in paths:
            try:
                text = Path(path).read_text(encoding="utf-8")
            except OSError as exc:
                raise RuleError(f"cannot read rule file: {exc.strerror}", source=str(path)) from None
            except UnicodeDecodeError:
                raise RuleError("rule file is not UTF-8 text", source=str(path)) from None
            packs.append(Pack.from_toml(text, source=str(path)))
        return cls(tuple(packs))

    def __add__(self, other: Rules) -> Rules:
        return Rules(self.packs + other.packs)

    def compile(self, url: str | None = None, *site_names: str | None, text: bool = False,
                page_kind: str | None = None) -> CompiledRules:
        """The rules in force for ``url``'s host and the site's names, compiled (cached); with
        ``text``, for text mode: the ``text_only`` packs too. Packs scoped to kinds of page
        (``page_kinds``) are left out, unless ``page_kind`` is given: then the rules are those
        packs' alone, for the pass that follows the kind's decision (every pack's ``disable``
        still applies).

        >>> rules = Rules.default()
        >>> rules.compile("https://shop.example/p/1", page_kind="product").match_line("Save 25%")
        'nonarticle.line.discount'
        >>> rules.compile("https://shop.example/p/1").match_line("Save 25%") is None
        True
        """
        host = (urlsplit(url).hostname or "").lower() if url else ""
        return _compile(self, host, tuple(n.strip() for n in site_names if n and n.strip()), text, page_kind)


@lru_cache(maxsize=1)
def _default_rules() -> Rules:
    folder = resources.files("newsclean") / "packs"
    packs = []
    for entry in sorted(folder.iterdir(), key=lambda e: (e.name != "generic.toml", e.name)):
        if entry.name.endswith(".toml"):
            packs.append(Pack.from_toml(entry.read_text(encoding="utf-8"), source=entry.name))
    return Rules(tuple(packs))


def _compile(rules: Rules, host: str, site_names: tuple[str, ...], text: bool = False,
             page_kind: str | None = None) -> CompiledRules:
    applying = [p for p in rules.packs if p.applies_to(host) and (text or not p.text_only)]
    if page_kind is None:
        active = tuple(p for p in applying if not p.page_kinds)
    else:  # the kind's packs, and the others' `disable` lists alone
        active = tuple(p if page_kind in p.page_kinds else replace(p, rules=())
                       for p in applying if page_kind in p.page_kinds or (p.disable and not p.page_kinds))
    names = list(site_names) + [n for p in active for n in p.site_names]
    return _compile_packs(active, tuple(dict.fromkeys(n for n in names if n)))


@lru_cache(maxsize=256)
def _regex(pattern: str) -> re.Pattern[str]:
    """Compiled once per distinct pattern text: pages of many sites share most rules."""
    return re.compile(pattern, re.IGNORECASE)


# (rule id, kind, pattern text with "{site}" left in, or None when the rule has no {site};
# the compiled pattern when it has none; whether every match holds the site's name)
_Pending = tuple[str, str, str | None, "re.Pattern[str] | None", bool]
_SITE_MARK = "\ue000"  # {site} while checking that a pattern needs the name (a private-use character)
_ANY_SITE = "(?:.*)"  # {site} while finding the words a rule naming the site needs besides the name
_NO_SPANS = (("line", 0, 0), ("heading", 0, 0), ("credit", 0, 0))  # no shared gate: each kind asks its own


@dataclass(frozen=True)
class _SiteLayout:
    """One kind's line or credit rules, laid out once per set of packs: ``pending`` in rule
    order; the places of the fixed rules (no ``{site}``) and their gate, with a site name
    known and without; the rules naming the site (``named``, their places once the name is
    known), those where the name is optional (``anywhere``) and the gate of their other words."""

    pending: tuple[_Pending, ...]
    fixed: tuple[int, ...]
    fixed_gate: Gate
    named: tuple[int, ...]
    anywhere: frozenset[int]
    named_gate: Gate
    templates: dict[int, str]
    unnamed: tuple[tuple[str, re.Pattern[str]], ...]  # the rules in force when no name is known
    unnamed_gate: Gate


def _site_layout(pending: Sequence[_Pending]) -> _SiteLayout:
    fixed = tuple(i for i, p in enumerate(pending) if p[2] is None)
    named = tuple(i for i, p in enumerate(pending) if p[2] is not None)
    statics = tuple(p[3] for p in pending if p[3] is not None)
    unnamed = tuple((p[0], p[3]) for p in pending if p[3] is not None)
    return _SiteLayout(
        pending=tuple(pending),
        fixed=fixed,
        fixed_gate=gate(statics),
        named=named,
        anywhere=frozenset(i for i in named if not pending[i][4]),
        named_gate=gate(tuple(_regex(str(pending[i][2]).replace("{site}", _ANY_SITE)) for i in named)),
        templates={i: str(pending[i][2]) for i in named},
        unnamed=unnamed,
        unnamed_gate=gate(tuple(p for _, p in unnamed)),
    )


@lru_cache(maxsize=64)
def _compile_static(active: tuple[Pack, ...]) -> tuple[CompiledRules, dict[str, _SiteLayout]]:
    """Everything that does not depend on the site's name, compiled once per set of packs;
    plus the layout of the credit and line rules waiting for the name."""
    disabled = {rule_id for p in active for rule_id in p.disable}
    # Headings match any short site name ("More from <anything>"), so their regexes are
    # the same for every site; a credit or line rule with {site} needs the name known.
    site_any = f"(?:{_SITE_WORDS})"
    selectors: list[tuple[str, str]] = []
    guarded: set[str] = set()
    tokens: dict[tuple[str, ...], str] = {}
    headings: list[tuple[str, re.Pattern[str]]] = []
    text_kinds: dict[str, list[tuple[str, re.Pattern[str]]]] = {kind: [] for kind in TEXT_KINDS}
    pending: list[_Pending] = []
    sites: list[re.Pattern[str]] = []
    for pack in active:
        for rule in pack.rules:
            if rule.id in disabled:
                continue
            if rule.kind == "selector":
                selectors.append((rule.id, ", ".join(rule.patterns)))
                if pack.learned:
                    guarded.add(rule.id)
            elif rule.kind == "token":
                for token in rule.patterns:
                    tokens.setdefault(tuple(split_words(token)), rule.id)
            elif rule.kind in TEXT_KINDS:
                text_kinds[rule.kind].append((rule.id, _text_regex(rule.kind, rule.patterns)))
            else:
                static = [p for p in rule.patterns if "{site}" not in p]
                dynamic = [p for p in rule.patterns if "{site}" in p]
                if rule.kind == "heading":
                    dynamic = [p.replace("{site}", site_any) for p in dynamic]
                    headings += [(rule.id, _regex("|".join(f"(?:{p})" for p in group)))
                                 for group in (static, dynamic) if group]
                    sites += [_regex(p.replace("{site}", f"(?P<site>{site_any})", 1))
                              for p in rule.patterns if "{site}" in p]
                    continue
                if static:
                    joined = _regex("|".join(f"(?:{p})" for p in static))
                    pending.append((rule.id, rule.kind, None, joined, False))
                if dynamic:
                    template = "|".join(f"(?:{p})" for p in dynamic)
                    needs = requires_char(template.replace("{site}", _SITE_MARK), _SITE_MARK)
                    pending.append((rule.id, rule.kind, template, None, needs))
    base = CompiledRules(
        selectors=tuple(selectors),
        guarded=frozenset(guarded),
        tokens=tokens,
        first_words=frozenset(t[0] for t in tokens),
        heading=tuple(headings),
        comments=tuple(text_kinds["comments"]),
        notice=tuple(text_kinds["notice"]),
        byline=tuple(text_kinds["byline"]),
        site_patterns=tuple(sites),
    )
    layouts = {kind: _site_layout([p for p in pending if p[1] == kind]) for kind in ("credit", "line")}
    unnamed = {kind: _KindGate(layout.unnamed_gate, tuple(range(len(layout.unnamed))))
               for kind, layout in layouts.items()}
    fixed = {"line": tuple(p for _, p in layouts["line"].unnamed), "heading": tuple(p for _, p in headings),
             "credit": tuple(p for _, p in layouts["credit"].unnamed)}
    spans, start = [], 0
    for kind, patterns in fixed.items():
        spans.append((kind, start, start + len(patterns)))
        start += len(patterns)
    rules = {"line": layouts["line"].unnamed, "heading": tuple(headings), "credit": layouts["credit"].unnamed}
    base = replace(base, credit=layouts["credit"].unnamed, line=layouts["line"].unnamed,
                   gates={**base.gates, **unnamed}, furniture_gate=gate(sum(fixed.values(), ())),
                   furniture_spans=tuple(spans),
                   furniture_rules=tuple((kind, rule_id, pattern, *pattern_width(pattern))
                                        for kind in fixed for rule_id, pattern in rules[kind]))
    return base, layouts


def _text_regex(kind: str, patterns: tuple[str, ...]) -> re.Pattern[str]:
    """One regex for a text-mode rule: a ``comments`` line may end in a colon ("12 Comments:");
    ``byline`` rules are case-sensitive (a name is capitalised)."""
    joined = "(?:" + "|".join(f"(?:{p})" for p in patterns) + ")"
    if kind == "byline":
        return re.compile(joined)
    return _regex(joined + " ?:?" if kind == "comments" else joined)


# Few entries: a site's rules cost ~50 objects that the garbage collector tracks, and a
# batch over many hosts seldom meets one again (compiling them again costs ~0.03 ms; their
# regular expressions stay in ``_regex``'s cache); 256 of them made a full collection ~4 ms
# longer.
@lru_cache(maxsize=32)
def _compile_packs(active: tuple[Pack, ...], names: tuple[str, ...]) -> CompiledRules:
    base, layouts = _compile_static(active)
    if not names:
        return base
    site = "(?:" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + ")"
    folded = tuple(dict.fromkeys(fold(n) for n in names))
    compiled: dict[str, tuple[tuple[str, re.Pattern[str] | SiteRegex], ...]] = {}
    gates = dict(base.gates)
    for kind, layout in layouts.items():
        compiled[kind] = tuple(
            (rule_id, pattern if pattern is not None else SiteRegex(str(template).replace("{site}", site)))
            for rule_id, _, template, pattern, _ in layout.pending)
        gates[kind] = _KindGate(layout.fixed_gate, layout.fixed, layout.named, folded, layout.anywhere,
                                layout.named_gate, layout.templates)
    named = [layout for layout in layouts.values() if layout.named]
    return replace(base, credit=compiled["credit"], line=compiled["line"], site_names=names, gates=gates,
                   named_names=folded if named else (),
                   named_anywhere=any(layout.anywhere for layout in named))
