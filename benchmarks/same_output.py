"""Same output check: does a change to newsclean alter any Article on the corpora?

``dump`` writes ``Article.to_dict()`` (less timing-dependent extras) for every page of the
evaluation corpora (``--corpora``, else ``$NEWSCLEAN_CORPORA``, else ``../shared/corpora``;
``python -m benchmarks --help`` says where they come from), and ``clean_text()`` of each
page's text, using the ``newsclean`` on ``PYTHONPATH``; ``diff`` compares two dumps and names
the fields that differ. Dump the old tree (here a second clone at the old commit) and the new
one, then diff::

    PYTHONHASHSEED=0 PYTHONPATH=../newsclean-old python -m benchmarks.same_output dump old.jsonl
    PYTHONHASHSEED=0 PYTHONPATH=$PWD python -m benchmarks.same_output dump new.jsonl
    python -m benchmarks.same_output diff old.jsonl new.jsonl

(A fixed hash seed for both: a few ties are broken in set order.)

>>> import io
>>> out = io.StringIO()
>>> differing([{"id": "a", "article": {"text": "x"}}], [{"id": "a", "article": {"text": "y"}}], out)
1
>>> print(out.getvalue().strip())
a: text
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

from benchmarks.corpus import SHARED_NAMES, default_corpora_dir, load_corpus

__all__ = ["differing", "dump", "main"]

_TIMING = ("slow",)  # diagnostics that depend on how fast the machine is


def records(root: Path) -> Iterator[dict[str, Any]]:
    """One record per page of each shared corpus under ``root``, and one per page text."""
    import newsclean

    for name in SHARED_NAMES:
        for doc in load_corpus(root / name).docs:
            article = newsclean.clean(doc.html(), url=doc.url).to_dict()
            for key in _TIMING:
                article.get("diagnostics", {}).pop(key, None)
            yield {"id": f"{name}/{doc.id}", "article": article}
            if article["text"]:
                again = newsclean.clean_text(article["text"], url=doc.url, site_name=article["site_name"])
                yield {"id": f"{name}/{doc.id}#text", "article": again.to_dict()}


def dump(root: Path, out: TextIO) -> int:
    """Write the records as JSON Lines; the number written."""
    count = 0
    for record in records(root):
        out.write(json.dumps(record, sort_keys=True, ensure_ascii=False) + "\n")
        count += 1
    return count


def differing(old: Sequence[dict[str, Any]], new: Sequence[dict[str, Any]], out: TextIO) -> int:
    """Print each record whose article differs (with the fields that do), or that one dump
    alone holds (a page's text-mode record exists only when the page has text); the number
    of them.

    >>> import io
    >>> out = io.StringIO()
    >>> differing([{"id": "a", "article": {"text": "x"}}, {"id": "a#text", "article": {}}],
    ...           [{"id": "a", "article": {"text": ""}}], out)
    2
    >>> print(out.getvalue().strip())
    a: text
    a#text: only in the old dump
    """
    pages = [[r["id"] for r in dump if "#" not in r["id"]] for dump in (old, new)]
    if pages[0] != pages[1]:
        raise ValueError("the dumps hold different pages; dump both from the same corpora")
    after = {r["id"]: r for r in new}
    before = {r["id"] for r in old}
    count = 0
    for a in old:
        b = after.get(a["id"])
        if b is None:
            count += 1
            print(f"{a['id']}: only in the old dump", file=out)
        elif a["article"] != b["article"]:
            count += 1
            keys = sorted(k for k in a["article"].keys() | b["article"].keys()
                          if a["article"].get(k) != b["article"].get(k))
            print(f"{a['id']}: {', '.join(keys)}", file=out)
    for b in new:
        if b["id"] not in before:
            count += 1
            print(f"{b['id']}: only in the new dump", file=out)
    return count


def _load(path: str) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``dump OUT`` or ``diff OLD NEW`` (exit status 1 if any page differs)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.same_output",
                                     description="Does a change alter any Article on the corpora?")
    commands = parser.add_subparsers(dest="command", required=True)
    dump_parser = commands.add_parser("dump", help="write the articles of every corpus page")
    dump_parser.add_argument("out")
    dump_parser.add_argument("--corpora", help="folder holding the shared corpora")
    diff_parser = commands.add_parser("diff", help="compare two dumps")
    diff_parser.add_argument("old")
    diff_parser.add_argument("new")
    args = parser.parse_args(argv)
    if args.command == "dump":
        root = Path(args.corpora) if args.corpora else default_corpora_dir(__file__)
        with open(args.out, "w", encoding="utf-8") as out:
            print(f"{dump(root, out)} records written to {args.out}")
        return 0
    old, new = _load(args.old), _load(args.new)
    count = differing(old, new, sys.stdout)
    print(f"{len(old)} records, {count} differ")
    return 1 if count else 0


if __name__ == "__main__":
    sys.exit(main())
