"""Quality gate: newsclean's F1 on each shared corpus must not fall below benchmarks/floors.json.

Runs when the corpora are present (``$NEWSCLEAN_CORPORA``, else ``shared/corpora`` beside the
clone) and skips otherwise. To keep it quick it scores fixed subsets, the same ones
``python -m benchmarks floors`` measures: every real page of ``readability`` and ``goose``
and every 3rd page (by id) of ``trafilatura`` (about 470 pages, no cache).
Raising a floor is a normal commit; lowering one needs a reason in the commit message.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import newsclean
from benchmarks.corpus import corpora_missing, load_corpus
from benchmarks.gate import FLOORS_PATH, gate_score, load_floors

_DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "corpora"
CORPORA = Path(os.environ.get("NEWSCLEAN_CORPORA") or _DEFAULT)
SPECS = load_floors(FLOORS_PATH)

pytestmark = pytest.mark.skipif(not CORPORA.is_dir(), reason=corpora_missing(CORPORA))


def _extract(html: bytes, url: str | None) -> str:
    return newsclean.clean(html, url=url).text


def test_floors_cover_the_shared_corpora() -> None:
    assert sorted(SPECS) == ["goose", "readability", "trafilatura"]
    for spec in SPECS.values():
        assert spec.metric in ("body_f1", "snippet_f1") and spec.every >= 1 and 0 < spec.floor <= 1


@pytest.mark.parametrize("name", sorted(SPECS))
def test_f1_not_below_floor(name: str) -> None:
    root = CORPORA / name
    if not root.is_dir():
        pytest.skip(corpora_missing(root))
    spec = SPECS[name]
    value, pages = gate_score(load_corpus(root), spec, _extract)
    assert pages > 0
    assert spec.check(value), (
        f"newsclean {spec.metric} on {name} (every {spec.every} page(s), {pages} pages) is {value:.4f}, "
        f"below the floor {spec.floor} in benchmarks/floors.json"
    )
