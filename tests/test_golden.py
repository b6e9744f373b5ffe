"""Golden pages: pages written for these tests, each modelled on a real publisher's
template (tests/fixtures/golden/README.md lists them). They never skip.

For each page, ``newsclean.clean(source, url=...)`` must give exactly ``expected.txt``,
the metadata in ``expected.json``, and the same rule ids in ``removed`` (as a multiset:
how many pieces each rule took, not the order, which follows the tree walk). An intended
change of output: run ``python tests/fixtures/golden/regen.py`` and review the diff.

Golden texts (tests/fixtures/golden-text): leaked text written for these tests, each imitating a
template family and a leak style (``about.txt``), for ``newsclean.clean_text(source)``; the same
checks. The dead-rule check: every rule of every shipped pack, and every built-in ``text.*``
rule, must fire on some golden page or golden text, or be listed in ``KNOWN_DEAD`` with the reason.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from pathlib import Path

import pytest
from golden_support import FIELDS, GOLDEN, GOLDEN_TEXT, Case, cases, cleaned, snapshot, text_cases

import newsclean
from newsclean.rules import Rules

CASES = cases()
TEXT_CASES = text_cases()
PACKAGE = Path(newsclean.__file__).parent
REGEN = "if the change is intended: python tests/fixtures/golden/regen.py {name}, then review the diff"

# Rules that no realistic page can show in Article.removed, and why. Reported to the lead;
# a rule that starts firing must leave this list (test_known_dead_rules_are_still_dead).
KNOWN_DEAD = {
    "generic.node.code": "silent by design: scripts, styles and embeds go unrecorded (prune._SILENT)",
    "independent.line.reuse": "the native extractor drops the lone 'Reuse content' link as link furniture "
                              "before text rules run; the rule still cleans trafilatura-path pages and "
                              "leaked text (clean_text)",
}


def _diff(expected: str, actual: str) -> str:
    lines = difflib.unified_diff(expected.splitlines(), actual.splitlines(), "expected.txt", "article.text",
                                 lineterm="", n=1)
    return "\n".join(lines)


def _removed_diff(expected: list[str], actual: list[str]) -> str:
    want, got = Counter(expected), Counter(actual)
    missing, extra = sorted((want - got).elements()), sorted((got - want).elements())
    return f"removed rule ids differ: missing {missing}, unexpected {extra}; got in order {actual}"


def test_the_golden_pages_are_there() -> None:
    assert len(CASES) >= 20
    size = sum(f.stat().st_size for f in GOLDEN.rglob("*") if f.is_file())
    assert size < 5_000_000, f"golden pages take {size} bytes"
    for case in CASES:
        assert {"source.html", "url.txt", "expected.txt", "expected.json"} <= {
            f.name for f in case.folder.iterdir()}, case.name


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_page_says_what_it_imitates(case: Case) -> None:
    head = " ".join(case.source[:2000].decode("utf-8", "replace").split())
    assert "Template family:" in head and "Written for newsclean's golden tests" in head, (
        f"{case.name}/source.html must open with a comment naming the template family it "
        "imitates and saying it was written for the tests")


def test_the_golden_texts_are_there() -> None:
    assert len(TEXT_CASES) >= 3
    for case in TEXT_CASES:
        assert {"source.txt", "about.txt", "expected.txt", "expected.json"} <= {
            f.name for f in case.folder.iterdir()}, case.name
        about = (case.folder / "about.txt").read_text(encoding="utf-8")
        assert "Template family:" in about and "Written for newsclean's golden tests" in about, case.name
    size = sum(f.stat().st_size for f in GOLDEN_TEXT.rglob("*") if f.is_file())
    assert size < 200_000, f"golden texts take {size} bytes"


@pytest.mark.parametrize("case", [*CASES, *TEXT_CASES], ids=lambda c: c.name)
def test_golden_page(case: Case) -> None:
    article = cleaned(case.name)
    expected, actual = case.expected, snapshot(article)
    problems = []
    if article.text != case.expected_text:
        problems.append("text differs:\n" + _diff(case.expected_text, article.text))
    problems += [f"{name}: expected {expected.get(name)!r}, got {actual[name]!r}"
                 for name in FIELDS if expected.get(name) != actual[name]]
    if Counter(expected["removed"]) != Counter(actual["removed"]):
        problems.append(_removed_diff(expected["removed"], actual["removed"]))
    assert not problems, f"{case.name}:\n" + "\n".join(problems) + "\n" + REGEN.format(name=case.name)


def text_rule_ids() -> set[str]:
    """The built-in text rules: every ``Removal("text.…"`` in the package's source."""
    found = set()
    for path in PACKAGE.rglob("*.py"):
        found |= set(re.findall(r'Removal\(\s*"(text\.[a-z-]+)"', path.read_text(encoding="utf-8")))
    return found


def all_rule_ids() -> set[str]:
    return {rule.id for pack in Rules.default().packs for rule in pack.rules} | text_rule_ids()


def fired_rule_ids() -> dict[str, list[str]]:
    """Each rule id seen in some golden page's ``removed``, with the pages it fired on."""
    fired: dict[str, list[str]] = {}
    for case in [*CASES, *TEXT_CASES]:
        for rule in dict.fromkeys(r.rule for r in cleaned(case.name).removed):
            fired.setdefault(rule, []).append(case.name)
    return fired


def test_text_rules_are_found() -> None:
    assert {"text.title", "text.standfirst", "text.widget-items", "text.caption",
            "text.duplicate"} <= text_rule_ids()


def test_every_rule_fires_on_a_golden_page() -> None:
    dead = sorted(all_rule_ids() - fired_rule_ids().keys() - KNOWN_DEAD.keys())
    assert not dead, (
        f"rules that fire on no golden page: {dead}. Add a page (or a template feature to a "
        "page) where each does its job, or, if no realistic page can trigger it, list it in "
        "KNOWN_DEAD with the reason and report it")


def test_known_dead_rules_are_still_dead() -> None:
    fired = fired_rule_ids()
    assert KNOWN_DEAD.keys() <= all_rule_ids(), "KNOWN_DEAD names a rule that no longer exists"
    revived = {rule: fired[rule] for rule in KNOWN_DEAD if rule in fired}
    assert not revived, f"rules in KNOWN_DEAD now fire (take them off the list): {revived}"
