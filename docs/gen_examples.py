"""Generate the example outputs the docs show, from the bundled fixture pages.

Run from the repository root after changing the cleaning code or the packs:

    python docs/gen_examples.py          # rewrite docs/examples/*.json and *.txt
    python docs/gen_examples.py --check  # exit 1 if a committed file is stale

tests/test_docs.py runs the same check, so the docs never show output the code no
longer produces.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import newsclean

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
EXAMPLES = ROOT / "docs" / "examples"

GBNEWS_URL = "https://www.gbnews.com/news/world/putin-serbia-ukraine-arms"
GAZETTE_URL = "https://www.harbourgazette.example/news/ferry-terminal-opens"


def explain(article: newsclean.Article) -> str:
    """The removals, one line each, in the form ``newsclean --explain`` prints them."""
    lines = [f"--- removed: {len(article.removed)}"]
    for removal in article.removed:
        text = " ".join(removal.text.split())
        text = text if len(text) <= 300 else text[:299] + "…"
        lines.append(f"[{removal.rule}] {removal.kind}: {text}")
    return "\n".join(lines) + "\n"


def shipped_rules() -> str:
    """A markdown table per shipped pack: its rules' ids, kinds and reasons.

    Not a committed file: docs/hooks.py puts it into docs/rules.md at build time.
    """
    parts: list[str] = []
    for pack in newsclean.Rules.default().packs:
        where = ", ".join(pack.domains) if pack.domains else "every page"
        parts.append(f"**`{pack.id}`** (`newsclean/packs/{pack.source}`, applies to: {where})\n")
        parts.append("| rule id | kind | patterns | why |\n| --- | --- | --- | --- |")
        for rule in pack.rules:
            why = rule.why.replace("|", "\\|")
            parts.append(f"| `{rule.id}` | {rule.kind} | {len(rule.patterns)} | {why} |")
        parts.append("")
    return "\n".join(parts)


def cli_explain(page: str) -> str:
    """What ``newsclean --explain PAGE`` prints on stderr, run from the repository root."""
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "PYTHONPATH": path}
    done = subprocess.run(
        [sys.executable, "-m", "newsclean", "--explain", "-q", page],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=120, check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"newsclean --explain {page} failed ({done.returncode}): {done.stderr}")
    return done.stderr


def outputs() -> dict[Path, str]:
    """Every generated file and its content."""
    gbnews = newsclean.clean((FIXTURES / "gbnews-serbia.html").read_bytes(), url=GBNEWS_URL)
    page = (FIXTURES / "example-publisher.html").read_bytes()
    without = newsclean.clean(page, url=GAZETTE_URL)
    rules = newsclean.Rules.load(EXAMPLES / "example-publisher.toml")
    with_pack = newsclean.clean(page, url=GAZETTE_URL, rules=rules)
    return {
        EXAMPLES / "gbnews-serbia.json": gbnews.to_json(indent=2) + "\n",
        EXAMPLES / "example-publisher.before.txt": without.text + "\n",
        EXAMPLES / "example-publisher.before.explain.txt": explain(without),
        EXAMPLES / "example-publisher.after.txt": with_pack.text + "\n",
        EXAMPLES / "example-publisher.explain.txt": explain(with_pack),
        EXAMPLES / "gbnews-serbia.cli-explain.txt": cli_explain("tests/fixtures/gbnews-serbia.html"),
    }


def stale() -> list[Path]:
    """Generated files whose committed content differs from what the code produces now."""
    return [
        path
        for path, text in outputs().items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]


def main(argv: list[str]) -> int:
    if "--check" in argv:
        old = stale()
        for path in old:
            print(f"stale: {path.relative_to(ROOT)} (run: python docs/gen_examples.py)", file=sys.stderr)
        return 1 if old else 0
    for path, text in outputs().items():
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
