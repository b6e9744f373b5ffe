"""``newsclean rules new HOST [-o DIR]``: scaffold a rule pack for a publisher.

Writes into DIR (default: the current folder) the three files a new pack needs:

- ``HOST.toml``: the pack, ``domains = [HOST]``, with a commented example rule;
- ``HOST.html``: a stub page built to the template, to fill in;
- ``test_pack_HOST.py``: a test that cleans the stub with the pack and checks the story.

When DIR is the root of a newsclean checkout (it holds ``newsclean/__init__.py``), they go
where a contribution needs them (docs/rules.md, "Contribute it"): ``newsclean/packs/``,
``tests/fixtures/`` and ``tests/``. An existing file is never overwritten (exit 2), unless
``--force``.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

from newsclean.cli.options import parse_args
from newsclean.sites.learning import host_of

__all__ = ["build_parser", "main", "scaffold"]

_HOST = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$")

PACK = """\
# {host}: rules for the publisher's article template (see docs/rules.md).
#
# Describe the template as you saw it: which boxes, lines and credits leak into the text
# with the shipped rules alone (`newsclean --explain PAGE`, or `newsclean explain PAGE -o
# report.html`). Give every rule a `why`, justified by the template, never by one page's text.
# Ids are `<pack>.<kind>.<name>`, for good.

[pack]
id = "{pack}"
domains = ["{host}"]
# site_names = ["The Example Times"]   # names that {{site}} stands for in credit and line rules

# An example rule: uncomment it, and change the selector to one of the template's boxes.
# [[rule]]
# id = "{pack}.node.promo"
# kind = "selector"
# patterns = ["div.newsletter-promo"]
# why = "the newsletter sign-up box under every article"
"""

PAGE = """\
<!DOCTYPE html>
<!-- A stub page built to {host}'s article template: your own markup, never a copied page.
     Keep the template's furniture (class names, boxes, credit lines) and write a short story. -->
<html lang="en">
<head>
<meta charset="utf-8">
<title>Harbour ferry terminal opens - {host}</title>
<link rel="canonical" href="https://{host}/news/ferry-terminal-opens">
</head>
<body>
<article>
<h1>Harbour ferry terminal opens</h1>
<p>The new ferry terminal at Port Ellis opened to passengers on Monday, two years after
work began on the quay.</p>
<p>The first sailing left at 6.15am with forty passengers on board, and the crossing took
under an hour.</p>
<p>Ferry crews said the larger berths would let them run a second boat in the summer
months.</p>
<div class="newsletter-promo">Sign up to our morning newsletter</div>
</article>
</body>
</html>
"""

TEST = '''\
"""The {pack} pack ({host}): its furniture goes, the story stays."""

from pathlib import Path

import newsclean

HERE = Path(__file__).resolve().parent
PACK = HERE / "{pack_path}"
PAGE = HERE / "{page_path}"
URL = "https://{host}/news/ferry-terminal-opens"

STORY = [
    "The new ferry terminal at Port Ellis opened to passengers",
    "The first sailing left at 6.15am",
    "Ferry crews said the larger berths",
]


def test_{name}_pack_keeps_the_story() -> None:
    rules = newsclean.Rules.load(PACK, include_defaults=False)
    assert rules.packs[0].domains == ("{host}",)
    if "{pack}" not in [pack.id for pack in newsclean.Rules.default().packs]:
        rules = newsclean.Rules.default() + rules  # not shipped yet: on top of the shipped packs
    else:
        rules = newsclean.Rules.default()
    article = newsclean.clean(PAGE.read_bytes(), url=URL, rules=rules)
    paragraphs = article.text.split("\\n\\n")
    assert all(any(p.startswith(s) for p in paragraphs) for s in STORY)
    # Once the pack has rules, check that they fire and that the furniture is gone, e.g.:
    # fired = {{r.rule for r in article.removed}}
    # assert "{pack}.node.promo" in fired
    # assert "Sign up to our morning newsletter" not in article.text
'''


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``newsclean rules``."""
    parser = argparse.ArgumentParser(
        prog="newsclean rules", description="Work with rule packs.",
        epilog="Exit codes: 0 done, 2 usage error.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    new = commands.add_parser(
        "new", help="scaffold a pack, a fixture page stub and a test for a publisher",
        description="Scaffold a pack (HOST.toml), a fixture page stub (HOST.html) and a test "
        "(test_pack_HOST.py) in DIR; in a newsclean checkout's root, in newsclean/packs/, "
        "tests/fixtures/ and tests/.",
    )
    new.add_argument("host", metavar="HOST", help="the publisher's host, e.g. example.com")
    new.add_argument("-o", "--output", default=".", metavar="DIR",
                     help="where to write them (default: the current folder)")
    new.add_argument("--id", help="the pack's id (default: the host's first label, e.g. 'example')")
    new.add_argument("--force", action="store_true", help="overwrite files that exist")
    return parser


def scaffold(host: str, folder: str | Path = ".", *, pack_id: str | None = None,
             force: bool = False) -> list[Path]:
    """Write the pack, fixture stub and test for ``host`` into ``folder`` (in a checkout's root:
    into ``newsclean/packs/``, ``tests/fixtures/`` and ``tests/``); the paths written.

    Raises ``ValueError`` for a host that is not a host name, and ``FileExistsError`` for a
    file that exists (unless ``force``).

    >>> import tempfile
    >>> [p.name for p in scaffold("www.gazette.example", tempfile.mkdtemp())]
    ['gazette.example.toml', 'gazette.example.html', 'test_pack_gazette_example.py']
    """
    name = host_of(f"//{host.strip()}")
    if not _HOST.match(name):
        raise ValueError(f"not a host name: {host!r} (e.g. example.com)")
    pack = pack_id or re.sub(r"[^a-z0-9_-]", "", name.split(".")[0]) or "site"
    root = Path(folder)
    checkout = (root / "newsclean" / "__init__.py").is_file()
    packs, fixtures, tests = (root / "newsclean" / "packs", root / "tests" / "fixtures", root / "tests") \
        if checkout else (root, root, root)
    pack_path, page_path = packs / f"{name}.toml", fixtures / f"{name}.html"
    test_path = tests / f"test_pack_{re.sub(r'[^a-z0-9]', '_', name)}.py"
    files = {
        pack_path: PACK.format(host=name, pack=pack),
        page_path: PAGE.format(host=name),
        test_path: TEST.format(host=name, pack=pack, name=re.sub(r"[^a-z0-9]", "_", pack),
                               pack_path=_relative(pack_path, tests), page_path=_relative(page_path, tests)),
    }
    existing = [str(p) for p in files if p.exists()]
    if existing and not force:
        raise FileExistsError(f"exists already (use --force to overwrite): {', '.join(existing)}")
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return list(files)


def _relative(path: Path, start: Path) -> str:
    return Path(os.path.relpath(path, start)).as_posix()


def main(argv: list[str]) -> int:
    """Run ``newsclean rules`` with ``argv`` (without the program name); the exit status."""
    args = parse_args(build_parser(), argv)
    if isinstance(args, int):
        return args
    try:
        written = scaffold(args.host, args.output, pack_id=args.id, force=args.force)
    except (ValueError, OSError) as exc:
        print(f"newsclean rules new: {exc}", file=sys.stderr)
        return 2
    for path in written:
        print(f"wrote {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
