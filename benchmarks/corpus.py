"""Read a corpus in the shared format (``pages/<id>.html.gz`` + ``truth.jsonl``).

Any folder in that format works, so users can bring their own corpus::

    <corpus>/pages/<id>.html.gz   original page bytes, gzip-compressed
    <corpus>/truth.jsonl          one JSON object per line: id, url, body, with, without,
                                  title, authors, date, lang, site_name[, synthetic]

>>> import gzip, json, tempfile
>>> root = Path(tempfile.mkdtemp())
>>> (root / "pages").mkdir()
>>> _ = (root / "pages" / "a.html.gz").write_bytes(gzip.compress(b"<p>Hi</p>"))
>>> _ = (root / "truth.jsonl").write_text(json.dumps({"id": "a", "with": ["Hi"]}) + "\\n")
>>> corpus = load_corpus(root)
>>> corpus.name == root.name, len(corpus), corpus.docs[0].with_, corpus.docs[0].html()
(True, 1, ('Hi',), b'<p>Hi</p>')
"""

from __future__ import annotations

import gzip
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "CORPORA_HELP",
    "SAMPLE",
    "Corpus",
    "CorpusError",
    "Doc",
    "corpora_missing",
    "default_corpora_dir",
    "gate_subset",
    "load_corpus",
]

SHARED_NAMES = ("trafilatura", "readability", "goose", "wcxb-dev")

# A small corpus in the same format that ships with the repository (pages written for it, see its
# README.md): what ``python -m benchmarks run`` scores when it is given no corpus.
SAMPLE = Path(__file__).resolve().parent / "sample"

CORPORA_HELP = """\
A corpus is a folder holding pages/<id>.html.gz (a page's original bytes, gzipped) and
truth.jsonl (one JSON object per page: id, url, body, with, without, title, authors, date,
lang, site_name). Any folder in that format works, your own pages included. Without a
corpus, `run` scores benchmarks/sample/ (11 pages bundled with the repository): a smoke run
whose numbers say little. The numbers in docs/benchmarks.md come from corpora that are not in
the repository, since their pages belong to their publishers: the test pages of trafilatura,
readability and goose3, and the dev split of the WCXB benchmark, each converted to this
format (docs/benchmarks.md, "The corpora", says how). The tests and `floors` look for them in
$NEWSCLEAN_CORPORA, else in shared/corpora beside the clone (../shared/corpora)."""


def corpora_missing(where: str | os.PathLike[str]) -> str:
    """Why a test that needs the evaluation corpora skips, and where they come from."""
    return (
        f"the evaluation corpora are not at {where}: set NEWSCLEAN_CORPORA to a folder of corpora in the "
        "shared format (the test pages of trafilatura, readability and goose3 and the WCXB dev split, "
        "converted as docs/benchmarks.md 'The corpora' says), or put it at ../shared/corpora beside the clone"
    )


class CorpusError(ValueError):
    """A folder that is not a corpus in the shared format, or a malformed truth record."""


@dataclass(frozen=True)
class Doc:
    """One page and its truth."""

    id: str
    path: Path
    url: str | None = None
    body: str | None = None
    with_: tuple[str, ...] = ()
    without: tuple[str, ...] = ()
    title: str | None = None
    authors: tuple[str, ...] = ()
    date: str | None = None
    lang: str | None = None
    synthetic: bool = False
    page_type: str | None = None  # "article", "listing", ... where the corpus says (wcxb-dev)

    def html(self) -> bytes:
        """The page's original bytes."""
        return gzip.decompress(self.path.read_bytes())

    @property
    def truth_text(self) -> str:
        """Everything known to be article text: the body, or else the ``with`` snippets."""
        return self.body if self.body is not None else "\n".join(self.with_)


@dataclass(frozen=True)
class Corpus:
    """A named, id-sorted list of documents."""

    name: str
    root: Path
    docs: tuple[Doc, ...]

    def __len__(self) -> int:
        return len(self.docs)

    @property
    def has_synthetic(self) -> bool:
        """Whether some pages are marked ``synthetic`` (headline numbers then use the real ones)."""
        return any(d.synthetic for d in self.docs)

    def headline_docs(self) -> tuple[Doc, ...]:
        """The documents headline numbers are computed on: all but ``synthetic`` ones."""
        return tuple(d for d in self.docs if not d.synthetic)


def _strs(value: Any, key: str, line: int) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise CorpusError(f"truth.jsonl line {line}: {key!r} must be a list of strings")
    return tuple(value)


def _opt_str(value: Any, key: str, line: int) -> str | None:
    if value is None or isinstance(value, str):
        return value or None
    raise CorpusError(f"truth.jsonl line {line}: {key!r} must be a string or null")


def load_corpus(root: str | os.PathLike[str], *, limit: int | None = None) -> Corpus:
    """Load the truth of a corpus folder (pages are read lazily); ``limit`` keeps the first N by id."""
    root = Path(root)
    truth = root / "truth.jsonl"
    if not truth.is_file() or not (root / "pages").is_dir():
        raise CorpusError(f"{root}: not a corpus (needs truth.jsonl and pages/)")
    docs = []
    with truth.open(encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            if not raw.strip():
                continue
            try:
                rec = json.loads(raw)
            except json.JSONDecodeError as exc:
                raise CorpusError(f"{truth}: line {n} is not JSON: {exc}") from None
            if not isinstance(rec, dict) or not isinstance(rec.get("id"), str) or not rec["id"]:
                raise CorpusError(f"{truth}: line {n} has no string 'id'")
            path = root / "pages" / f"{rec['id']}.html.gz"
            if not path.is_file():
                raise CorpusError(f"{truth}: line {n}: page {path.name} is missing")
            docs.append(
                Doc(
                    id=rec["id"],
                    path=path,
                    url=_opt_str(rec.get("url"), "url", n),
                    body=rec.get("body") if isinstance(rec.get("body"), str) else None,
                    with_=_strs(rec.get("with"), "with", n),
                    without=_strs(rec.get("without"), "without", n),
                    title=_opt_str(rec.get("title"), "title", n),
                    authors=_strs(rec.get("authors"), "authors", n),
                    date=_opt_str(rec.get("date"), "date", n),
                    lang=_opt_str(rec.get("lang"), "lang", n),
                    synthetic=bool(rec.get("synthetic", False)),
                    page_type=_opt_str(rec.get("page_type"), "page_type", n),
                )
            )
    docs.sort(key=lambda d: d.id)
    if limit is not None:
        docs = docs[:limit]
    return Corpus(root.resolve().name, root, tuple(docs))


def default_corpora_dir(anchor: str | os.PathLike[str]) -> Path:
    """``$NEWSCLEAN_CORPORA``, else ``shared/corpora`` beside the clone holding ``anchor``.

    ``anchor`` is a file at the top of a clone's subfolder (e.g. ``tests/x.py`` or
    ``benchmarks/x.py``), so ``/work/<clone>/tests/x.py`` gives ``/work/shared/corpora``.
    """
    env = os.environ.get("NEWSCLEAN_CORPORA")
    return Path(env) if env else Path(anchor).resolve().parents[2] / "shared" / "corpora"


def gate_subset(corpus: Corpus, every: int) -> tuple[Doc, ...]:
    """The quality gate's deterministic subset: headline docs whose index (by id) is a multiple of ``every``.

    >>> c = Corpus("c", Path("."), tuple(Doc(str(i), Path(".")) for i in range(7)))
    >>> [d.id for d in gate_subset(c, 3)]
    ['0', '3', '6']
    """
    if every < 1:
        raise ValueError(f"every must be >= 1, got {every}")
    return tuple(d for i, d in enumerate(corpus.headline_docs()) if i % every == 0)
