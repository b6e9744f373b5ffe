"""The documentation tells the truth: its examples run, its generated parts are current.

- Every ```python block in docs/*.md runs, page by page in one namespace (so a page reads
  like one session), in a scratch folder that sees the repository's files. A block
  marked ``title="no-run"`` or preceded by ``<!-- no-run -->`` is skipped: only for
  network or cluster examples.
- The example outputs (docs/examples/) match what the code produces now.
- The worked publisher pack (docs/examples/example-publisher.toml) loads and removes
  what docs/rules.md says it removes.
- Every ```toml block is a valid rule pack; every snippet the pages include exists.
- The flags used in the docs' shell examples exist in ``--help``, and docs/cli.md is the
  generated ``--help`` (both once the CLI is part of the package).
"""

from __future__ import annotations

import importlib.util
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

import newsclean
from newsclean.rules import Pack, Rules

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.glob("*.md"))
GAZETTE_URL = "https://www.harbourgazette.example/news/ferry-terminal-opens"
GAZETTE_PAGE = ROOT / "tests" / "fixtures" / "example-publisher.html"
GAZETTE_PACK = DOCS / "examples" / "example-publisher.toml"

_FENCE = re.compile(
    r"^(?P<indent>[ \t]*)```(?P<lang>[\w-]*)(?P<attrs>[^\n]*)\n(?P<body>.*?)^(?P=indent)```[ \t]*$",
    re.MULTILINE | re.DOTALL,
)
_NO_RUN_COMMENT = re.compile(r"<!--\s*no-run\s*-->\s*$")
_SNIPPET = re.compile(r'^\s*--8<--\s+"([^"]+)"', re.MULTILINE)


@dataclass(frozen=True)
class Fence:
    page: Path
    line: int
    lang: str
    body: str
    no_run: bool


def fences(page: Path) -> list[Fence]:
    """The fenced code blocks of a page, with their first line number."""
    text = page.read_text(encoding="utf-8")
    found = []
    for match in _FENCE.finditer(text):
        before = text[: match.start()]
        indent = match.group("indent")
        body = "\n".join(line[len(indent):] if line.startswith(indent) else line
                         for line in match.group("body").splitlines())
        no_run = 'title="no-run"' in match.group("attrs") or bool(_NO_RUN_COMMENT.search(before))
        found.append(Fence(page, before.count("\n") + 2, match.group("lang"), body, no_run))
    return found


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, DOCS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _cli_available() -> bool:
    return all(importlib.util.find_spec(m) is not None for m in ("newsclean.cli", "newsclean.__main__"))


# ------------------------------------------------------------------ python examples

def test_fence_extraction_finds_the_examples() -> None:
    python = {f.page.name for p in PAGES for f in fences(p) if f.lang == "python" and not f.no_run}
    assert {"index.md", "getting-started.md", "article.md", "how-it-works.md", "rules.md"} <= python
    marked = [f for f in fences(DOCS / "rules.md") if f.no_run]
    assert [f.lang for f in marked] == ["bash"] and "https://" in marked[0].body


@pytest.mark.parametrize("page", [p for p in PAGES if any(f.lang == "python" for f in fences(p))],
                         ids=lambda p: p.name)
def test_python_examples_run(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Run in a scratch folder that sees the repository's files (tests/fixtures, docs/...)
    # through symlinks, so examples read bundled pages and may write outputs freely.
    for entry in ROOT.iterdir():
        if entry.name not in {".git", ".venv", "site"}:
            (tmp_path / entry.name).symlink_to(entry)
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": f"docs_{page.stem}"}
    for fence in fences(page):
        if fence.lang != "python" or fence.no_run:
            continue
        code = compile("\n" * (fence.line - 1) + fence.body, str(page), "exec")
        exec(code, namespace)  # a failure's traceback names the page and line


# ------------------------------------------------------------------ generated outputs

def test_example_outputs_are_current() -> None:
    stale = _load("gen_examples").stale()
    assert not stale, f"stale docs examples (run: python docs/gen_examples.py): {stale}"


def test_explain_listing_matches_the_articles_removals() -> None:
    gen = _load("gen_examples")
    article = newsclean.clean(GAZETTE_PAGE.read_bytes(), url=GAZETTE_URL, rules=Rules.load(GAZETTE_PACK))
    lines = gen.explain(article).splitlines()
    assert lines[0] == f"--- removed: {len(article.removed)}"
    assert lines[1:] == [f"[{r.rule}] {r.kind}: {r.text}" for r in article.removed]


def test_shipped_rules_table_lists_every_shipped_rule() -> None:
    page = _load("hooks").on_page_markdown('??? abstract "Rules"\n\n    <!-- shipped-rules -->\n')
    assert "<!-- shipped-rules -->" not in page
    for pack in Rules.default().packs:
        for rule in pack.rules:
            assert f"    | `{rule.id}` | {rule.kind} |" in page


def test_api_reference_covers_the_public_api() -> None:
    documented = set(re.findall(r"^::: newsclean\.(?:\w+\.)*(\w+)\s*$",
                                (DOCS / "api.md").read_text(encoding="utf-8"), re.MULTILINE))
    missing = sorted(set(newsclean.__all__) - documented - {"__version__"})
    assert not missing, f"add to docs/api.md: {', '.join('::: newsclean.' + n for n in missing)}"


def test_api_reference_docstring_rewriting() -> None:
    pytest.importorskip("griffe")
    import doctest

    module = _load("griffe_doctest")
    assert doctest.testmod(module).failed == 0
    text = module.markdown(sys.modules["newsclean.page.pipeline"].__doc__ or "")
    assert "```pycon\n>>> page = " in text and ":func:" not in text


# ------------------------------------------------------------------ the worked pack

FURNITURE = {
    "harbourgazette.node.tipline": "Got a story about the harbour?",
    "harbourgazette.token.picks": "Gazette Picks",
    "harbourgazette.credit.photo": "Gazette lens — Priya Natarajan",
    "harbourgazette.line.print": "Read the Gazette in print every Thursday",
}


def test_example_pack_loads_as_a_publisher_pack() -> None:
    rules = Rules.load(GAZETTE_PACK)
    pack = rules.packs[-1]
    assert pack.id == "harbourgazette" and pack.domains == ("harbourgazette.example",)
    assert all(rule.id.startswith("harbourgazette.") and rule.why for rule in pack.rules)
    assert pack.applies_to("www.harbourgazette.example") and not pack.applies_to("example.com")


def test_example_pack_removes_what_the_guide_says() -> None:
    page = GAZETTE_PAGE.read_bytes()
    before = newsclean.clean(page, url=GAZETTE_URL)
    after = newsclean.clean(page, url=GAZETTE_URL, rules=Rules.load(GAZETTE_PACK))
    for text in [*FURNITURE.values(), "The new terminal building seen from the water at dawn"]:
        assert text in before.text, f"the shipped rules already remove {text!r}: the guide is moot"
        assert text not in after.text
    removed = {r.rule: r.text for r in after.removed}
    for rule, text in FURNITURE.items():
        assert text in removed.get(rule, ""), f"{rule} did not remove {text!r}"
    assert removed["text.caption"] == "The new terminal building seen from the water at dawn"
    story = [p for p in before.text.split("\n\n") if len(p.split()) > 20]
    assert after.text.split("\n\n") == story and len(story) == 5


def test_heading_rule_is_the_fallback_when_the_token_rule_is_off() -> None:
    off = Pack.from_toml('[pack]\nid = "off"\ndisable = ["harbourgazette.token.picks"]\n')
    article = newsclean.clean(GAZETTE_PAGE.read_bytes(), url=GAZETTE_URL,
                              rules=Rules.load(GAZETTE_PACK) + Rules((off,)))
    rules = [r.rule for r in article.removed]
    assert "harbourgazette.heading.picks" in rules and "harbourgazette.token.picks" not in rules
    assert "Gazette Picks" not in article.text


def test_publisher_packs_follow_the_canonical_url_as_the_guide_says() -> None:
    article = newsclean.clean(GAZETTE_PAGE.read_bytes(), rules=Rules.load(GAZETTE_PACK))
    assert any(r.rule.startswith("harbourgazette.") for r in article.removed)
    assert "Gazette Picks" not in article.text
    stripped = re.sub(rb'<link rel="canonical"[^>]*>', b"", GAZETTE_PAGE.read_bytes())
    anonymous = newsclean.clean(stripped, rules=Rules.load(GAZETTE_PACK))
    assert not any(r.rule.startswith("harbourgazette.") for r in anonymous.removed)


# ------------------------------------------------------------------ toml and snippets

def test_toml_examples_are_valid_packs() -> None:
    blocks = [f for p in PAGES for f in fences(p) if f.lang == "toml" and "--8<--" not in f.body]
    assert blocks
    for fence in blocks:
        pack = Pack.from_toml(fence.body, source=f"{fence.page.name}:{fence.line}")
        assert pack.rules


def test_included_snippets_exist() -> None:
    included = [m for p in PAGES for m in _SNIPPET.findall(p.read_text(encoding="utf-8"))]
    assert "examples/example-publisher.toml" in included
    missing = [name for name in included if not (DOCS / name).is_file()]
    assert not missing


def test_prose_has_no_stray_html_tags() -> None:
    """``<site>`` in prose is eaten by the browser as a tag: write ``&lt;site&gt;`` or code."""
    stray = []
    for page in PAGES:
        text = _FENCE.sub("", page.read_text(encoding="utf-8"))
        text = re.sub(r"`[^`\n]*`", "", text)
        stray += [f"{page.name}: {tag}" for tag in re.findall(r"<[A-Za-z][^>\n]*>", text)]
    assert not stray


# ------------------------------------------------------------------ the CLI

def _shell_commands() -> list[tuple[Fence, str]]:
    commands = []
    for page in PAGES:
        for fence in fences(page):
            if fence.lang not in ("bash", "console", "sh", "shell"):
                continue
            for line in fence.body.splitlines():
                line = line.split(" #", 1)[0].strip().removeprefix("$ ")
                for part in re.split(r"\s*(?:\||&&|;)\s*", line):
                    if part.startswith("newsclean ") or part == "newsclean":
                        commands.append((fence, part))
    return commands


def test_shell_examples_are_found() -> None:
    commands = [c for _, c in _shell_commands()]
    assert any("--explain" in c for c in commands) and any("--rules" in c for c in commands)


@pytest.mark.skipif(not _cli_available(), reason="the CLI (newsclean/cli/) is not in this build yet")
def test_shell_example_flags_exist_in_help() -> None:
    gen = _load("gen_cli")
    helps = {name: gen.help_text(args) for name, args, _, module in gen.COMMANDS if gen.available(module)}
    unknown = []
    for fence, command in _shell_commands():
        name = max((n for n in helps if command == n or command.startswith(n + " ")), key=len,
                   default="newsclean")
        if name not in helps:
            continue  # a subcommand not in this checkout yet
        for flag in re.findall(r"(?<![\w-])(--?[A-Za-z][\w-]*)", command):
            if not re.search(rf"(?<![\w-]){re.escape(flag)}(?![\w-])", helps[name]):
                unknown.append(f"{fence.page.name}:{fence.line}: {flag} ({command})")
    assert not unknown, "flags not in --help: " + "; ".join(unknown)


@pytest.mark.skipif(not _cli_available(), reason="the CLI (newsclean/cli/) is not in this build yet")
def test_cli_reference_is_current() -> None:
    if sys.version_info[:2] != (3, 11):
        pytest.skip("docs/cli.md is generated with Python 3.11; argparse words help differently")
    assert (DOCS / "cli.md").read_text(encoding="utf-8") == _load("gen_cli").page(), (
        "docs/cli.md is stale: run python docs/gen_cli.py"
    )


def test_layer_picture_is_current() -> None:
    assert _load("gen_layout").main(["--check"]) == 0, "run python docs/gen_layout.py"
