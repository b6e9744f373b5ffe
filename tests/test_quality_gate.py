"""Quality gate: newsclean's F1 on each shared corpus must not fall below benchmarks/floors.json.

Runs when the corpora are present (``$NEWSCLEAN_CORPORA``, else ``shared/corpora`` beside the
clone) and skips otherwise. To keep it quick it scores fixed subsets, the same ones
``python -m benchmarks floors`` measures: every real page of ``readability`` and ``goose``
and every 3rd page (by id) of ``trafilatura`` (about 470 pages, no cache); and ``clean_text`` on
every 2nd text of ``text-dev`` (about 530 texts): snippet precision, recall and F1 per leak style.
Raising a floor is a normal commit; lowering one needs a reason in the commit message.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import newsclean
from benchmarks.corpus import corpora_missing, load_corpus
from benchmarks.gate import (
    FLOORS_PATH,
    TEXT_METRICS,
    gate_score,
    load_floors,
    load_text_floors,
    text_gate_scores,
)

_DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "corpora"
CORPORA = Path(os.environ.get("NEWSCLEAN_CORPORA") or _DEFAULT)
SPECS = load_floors(FLOORS_PATH)
TEXT_SPECS = load_text_floors(FLOORS_PATH)

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


def test_text_floors_cover_every_leak_style() -> None:
    assert sorted(TEXT_SPECS) == ["text-dev"]
    spec = TEXT_SPECS["text-dev"]
    assert {"overall", "html-text", "resiliparse", "boilerpy3", "traf-comments"} <= set(spec.floors)
    for floors in spec.floors.values():
        assert set(floors) == set(TEXT_METRICS) and all(0 < v <= 1 for v in floors.values())


@pytest.mark.parametrize("name", sorted(TEXT_SPECS))
def test_text_mode_not_below_floor(name: str) -> None:
    root = CORPORA / name
    if not root.is_dir():
        pytest.skip(corpora_missing(root))
    spec = TEXT_SPECS[name]
    values, texts = text_gate_scores(root, spec.every)
    assert texts > 0
    failures = spec.failures(values)
    assert not failures, (f"clean_text on {name} (every {spec.every} text(s), {texts} texts) is below the "
                          f"floors in benchmarks/floors.json: {failures}")
