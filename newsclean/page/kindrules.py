"""The pass after the page's kind is decided: stricter rules for pages that are not articles.

A product, collection, service, listing, forum or documentation page shows furniture that an
article would not, and that reads as content out of context: discount badges
standing alone ("Save 25%"), buttons ("Tell me more", "Book Now"), the footer's links ("Careers", "Terms of
Service"). The rules are data: the packs scoped to kinds of page (``page_kinds``, the shipped
``nonarticle`` pack), applied as the text rules apply theirs (``line`` rules to every line,
``heading`` rules with the list items they introduce, or alone as a line of a multi-line block).
Structure is code:

- a line that is one short phrase said over and over ("Book Now *Book Now *Book Now *"), a
  scrolling ticker (``kind.ticker``);
- a line of only telephone numbers and e-mail addresses, with their short labels, a contact
  strip (``kind.contact``);
- a menu printed twice (a desktop and a mobile copy): in a run of short blocks (at most
  :data:`MENU_MAX_WORDS` words each), the stretch from the first to the last line said again in
  such runs (at most :data:`MENU_MAX_COPIES` times) beside a line that follows it there too,
  when it holds at least :data:`MENU_MIN_LINES` of them and they are at least
  :data:`MENU_MIN_SHARE` of it; both copies go (``kind.menu``);
- the footer: from a footer link (a line a rule whose id ends in ``.footer`` matches, such as
  "Careers") to the end of the page, when every line there is short (at most
  :data:`FOOTER_MAX_WORDS` words) and holds another footer link (``kind.footer``). An
  extractor that gave up returns the whole page's text as one block: its footer goes the same way.

An article's blocks are left as they are.

>>> from newsclean.article import Block
>>> from newsclean.page.kind import Kind
>>> from newsclean.rules import CompiledRules, Rules
>>> blocks = [Block("heading", "Walnut chess set"), Block("paragraph", "Tell me more"),
...           Block("paragraph", "Hand-carved pieces in a folding walnut case, weighted and felted."),
...           Block("paragraph", "Save 25%"), Block("paragraph", "Book Now *Book Now *Book Now *Book Now")]
>>> kept, removed = apply_kind_rules(blocks, Rules.default(), Kind("product", 1.0))
>>> [b.text for b in kept]
['Walnut chess set', 'Hand-carved pieces in a folding walnut case, weighted and felted.']
>>> [r.rule for r in removed]
['nonarticle.line.cta', 'nonarticle.line.discount', 'kind.ticker']
>>> apply_kind_rules(blocks, Rules.default(), Kind("article", 1.0))[0] == blocks
True
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from itertools import pairwise

from newsclean.article import Block, Removal
from newsclean.page.kind import Kind
from newsclean.page.textrules import filter_lines, mark_furniture
from newsclean.rules import CompiledRules, Rules

__all__ = ["CONTACT_MAX_CHARS", "FOOTER_MAX_WORDS", "MENU_MAX_COPIES", "MENU_MAX_WORDS", "MENU_MIN_LINES",
           "MENU_MIN_SHARE", "TICKER_MIN_REPEATS", "apply_kind_rules", "footer_start", "is_contact_strip",
           "is_ticker", "repeated_menus"]

MENU_MIN_LINES = 8
"""A menu printed twice has at least this many lines said twice ..."""
MENU_MAX_WORDS = 8
"""... each of at most this many words ..."""
MENU_MIN_SHARE = 0.8
"""... making at least this share of its stretch of lines."""
MENU_MAX_COPIES = 3
"""A menu is printed at most this many times (a label on every card of a product grid, more)."""
CONTACT_MAX_CHARS = 200
"""A contact strip is at most this long."""
FOOTER_MAX_WORDS = 8
"""Every line from the first footer link to the end of the page has at most this many words."""

TICKER_MIN_REPEATS = 3
"""A line is a ticker when one phrase of at most four words makes all of it, this many times or more."""

_TICKER_SPLIT = re.compile(r"\s*[*•·|/✦★◆●–—-]+\s*|\s{2,}")
_TICKER_SEPARATOR = re.compile(r"[*•·|/✦★◆●–—-]|\s\s")  # where _TICKER_SPLIT splits (most lines: nowhere)
_CONTACT_CHAR = re.compile(r"[\d@]")  # a telephone number has digits, an e-mail address "@"
# A telephone number written as one: "(877) 722-3303", "+44 20 7946 0958", "01632 960 418".
_PHONE = re.compile(r"(?<![\w.-])(?:\+\d{1,3}[ .-]?)?(?:\(\d{2,5}\)[ .-]?|\d{2,5}[ .-])\d{3,4}[ .-]?\d{3,4}"
                    r"(?![\w.-])")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_LABEL = re.compile(r"\([^()]{1,40}\)|[A-Za-z][\w&.-]*:?")


def apply_kind_rules(blocks: Sequence[Block], rules: Rules, kind: Kind, *,
                     url: str | None = None) -> tuple[list[Block], list[Removal]]:
    """The blocks kept and the removals, in order, after the rules for the page's ``kind``: none
    for an article. ``{site}`` is not known to these rules."""
    if kind.is_article:
        return list(blocks), []
    compiled = rules.compile(url, page_kind=kind.name)  # no rule names the site: compiled once per host
    removed: list[Removal] = []
    blocks = _cut_footer(list(blocks), compiled, removed)
    blocks = [_filter_headings(filter_lines(b, compiled, removed), compiled, removed) for b in blocks]
    gone = mark_furniture(blocks, compiled)
    for i in repeated_menus(blocks):
        if gone[i] is None:
            gone[i] = Removal("kind.menu", "line", blocks[i].text)
    for i, block in enumerate(blocks):
        if gone[i] is None and block.kind in ("paragraph", "heading", "list_item"):
            if is_ticker(block.text):
                gone[i] = Removal("kind.ticker", "line", block.text)
            elif is_contact_strip(block.text):
                gone[i] = Removal("kind.contact", "line", block.text)
    kept = [b for b, g in zip(blocks, gone, strict=True) if g is None and b.text.strip()]
    return kept, removed + [g for g in gone if g is not None]


def is_ticker(text: str) -> bool:
    """One phrase of at most four words, repeated :data:`TICKER_MIN_REPEATS` times or more, and
    nothing else.

    >>> is_ticker("Book Now *Book Now *Book Now *Book Now *")
    True
    >>> is_ticker("Book now, book often, book early")
    False
    """
    if _TICKER_SEPARATOR.search(text) is None:  # one part: no ticker (and no list to build)
        return False
    parts = [p.casefold() for p in _TICKER_SPLIT.split(text) if p.strip()]
    if len(parts) < TICKER_MIN_REPEATS or len(set(parts)) != 1:
        return False
    return len(parts[0].split()) <= 4


def is_contact_strip(text: str) -> bool:
    """A line of telephone numbers and e-mail addresses (two at least), with at most a short
    label beside each.

    >>> is_contact_strip("877-722-3303 (Main Office) | 844-652-8219 (Billing) care@example.org")
    True
    >>> is_contact_strip("Call 877-722-3303 to book the first appointment of the season.")
    False
    """
    if "\n" in text or len(text) > CONTACT_MAX_CHARS or _CONTACT_CHAR.search(text) is None:
        return False  # a contact card (a name over a number) is content; no digit or "@": no contact
    found = len(_PHONE.findall(text)) + len(_EMAIL.findall(text))
    if found < 2:
        return False
    rest = _EMAIL.sub(" ", _PHONE.sub(" ", text))
    words = _LABEL.findall(rest.replace("|", " "))
    return len(words) <= 2 * found and all(len(w.split()) <= 4 for w in words)


def _filter_headings(block: Block, rules: CompiledRules, removed: list[Removal]) -> Block:
    """A multi-line block (a page's text returned whole) without the lines a ``heading`` rule matches."""
    if "\n" not in block.text or block.kind in ("table", "code"):
        return block
    lines = block.text.split("\n")
    kept = []
    for line in lines:
        if rule := rules.match_heading(line):
            removed.append(Removal(rule, "heading", line))
        else:
            kept.append(line)
    return block if len(kept) == len(lines) else replace(block, text="\n".join(kept))


def _is_footer(line: str, rules: CompiledRules) -> bool:
    rule = rules.match_line(line)
    return rule is not None and rule.endswith(".footer")


def footer_start(lines: Sequence[str], rules: CompiledRules) -> int | None:
    """The index of the line where the page's footer starts in ``lines`` (see the module's
    docstring), or None.

    >>> rules = Rules.default().compile(page_kind="collection")
    >>> footer_start(["Blue kettle", "A kettle that boils in a minute, for one or two cups.",
    ...               "Careers", "Our stores", "Privacy Policy"], rules)
    2
    >>> footer_start(["Careers", "We are hiring nurses and carers in all our homes this spring."], rules)
    """
    start = None
    links = 0
    for i in range(len(lines) - 1, -1, -1):
        if len(lines[i].split()) > FOOTER_MAX_WORDS:
            break
        if _is_footer(lines[i], rules):
            links += 1
            start = i
    return start if links >= 2 else None


def _cut_footer(blocks: list[Block], rules: CompiledRules, removed: list[Removal]) -> list[Block]:
    """The blocks without the page's footer, in the last block's lines or over the last blocks."""
    if not blocks:
        return blocks
    last = blocks[-1]
    if "\n" in last.text and last.kind not in ("table", "code"):
        lines = last.text.split("\n")
        start = footer_start(lines, rules)
        if start is not None:
            removed += [Removal("kind.footer", "line", line) for line in lines[start:] if line.strip()]
            kept = "\n".join(lines[:start]).strip()
            return blocks[:-1] + ([replace(last, text=kept)] if kept else [])
        return blocks
    start = footer_start([b.text if "\n" not in b.text else " ".join(["x"] * 99) for b in blocks], rules)
    if start is None:
        return blocks
    removed += [Removal("kind.footer", "line", b.text) for b in blocks[start:]]
    return blocks[:start]


def repeated_menus(blocks: Sequence[Block]) -> list[int]:
    """The indices of the blocks that are a menu printed twice (see the module's docstring).

    >>> menu = ["Platform", "Pricing", "Docs", "Blog", "Careers", "Support", "Status", "Events", "Login"]
    >>> prose = "Build APIs together, from the first design to the last test."
    >>> blocks = [Block("paragraph", x) for x in menu + [prose] + menu[:8] + ["Status page"]]
    >>> repeated_menus(blocks) == list(range(8)) + list(range(10, 18))
    True
    >>> twice = [Block("paragraph", x) for x in menu + menu + ["The new platform is here"]]
    >>> repeated_menus(twice) == list(range(18))
    True
    """
    runs: list[list[int]] = []
    run: list[int] = []
    for i, block in enumerate(blocks):
        if "\n" not in block.text and len(block.text.split()) <= MENU_MAX_WORDS and block.text.strip():
            run.append(i)
            continue
        if len(run) >= MENU_MIN_LINES:
            runs.append(run)
        run = []
    if len(run) >= MENU_MIN_LINES:
        runs.append(run)
    keys = {i: blocks[i].text.casefold() for indices in runs for i in indices}
    seen = Counter(keys.values())
    pairs = Counter((keys[a], keys[b]) for indices in runs for a, b in pairwise(indices))
    out: list[int] = []
    for indices in runs:
        # a line of a copy: said two or three times (a label on every card of a grid is said more),
        # beside a line that follows it in the other copy too
        repeated = [n for n, i in enumerate(indices) if 1 < seen[keys[i]] <= MENU_MAX_COPIES and (
            (n and pairs[keys[indices[n - 1]], keys[i]] > 1)
            or (n + 1 < len(indices) and pairs[keys[i], keys[indices[n + 1]]] > 1))]
        if len(repeated) < MENU_MIN_LINES:
            continue
        stretch = indices[repeated[0]:repeated[-1] + 1]
        if len(repeated) >= MENU_MIN_SHARE * len(stretch):
            out += stretch
    return sorted(out)
