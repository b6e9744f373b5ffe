"""Train the page-kind model (``newsclean/page/kind.json``) on a corpus whose pages carry a type.

A multinomial logistic regression over :func:`newsclean.page.kind.kind_features`, with an L2
penalty, by plain gradient descent (numpy; deterministic). Each page is also learned as it
would look without its URL (a saved page) and without its declared metadata (no JSON-LD,
no ``og:type``: older markup), so the model does not lean on what such pages lack. It
reports the ``is_article`` precision and recall of a two-fold cross-validation split by
domain (no site is in both halves) for each ``favor`` margin, on the pages as they are,
then trains on every page and writes the weights::

    PYTHONPATH=. python -m benchmarks.train_kind ../shared/corpora/wcxb-dev            # report only
    PYTHONPATH=. python -m benchmarks.train_kind ../shared/corpora/wcxb-dev --write    # and write kind.json

The corpus is in the shared format (``pages/<id>.html.gz`` + ``truth.jsonl``) with a
``page_type`` per page (one of :data:`newsclean.page.kind.KINDS`) and, for the split,
a ``domain`` (else the URL's host).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "newsclean" / "page" / "kind.json"
L2 = 1.0
STEPS = 3000
RATE = 0.5
AUGMENTED = 0.5  # the weight of a page's copies without URL and without declared metadata


def page_features(corpus: Path) -> tuple[list[list[dict[str, float]]], list[str], list[str]]:
    """Each page's features (as it is, without URL, without declared metadata), its kind and domain."""
    from selectolax.lexbor import LexborHTMLParser

    import newsclean
    from newsclean.page.decode import decode_html
    from newsclean.page.kind import kind_features, page_signals
    from newsclean.page.metadata import read_metadata

    rows, kinds, domains = [], [], []
    with open(corpus / "truth.jsonl", encoding="utf-8") as handle:
        for line in handle:
            truth = json.loads(line)
            if not truth.get("page_type"):
                continue
            raw = gzip.decompress((corpus / "pages" / f"{truth['id']}.html.gz").read_bytes())
            html = decode_html(raw)
            tree = LexborHTMLParser(html)
            signals = page_signals(tree, html)
            meta = read_metadata(tree, truth.get("url"))
            article = newsclean.clean(raw, url=truth.get("url"))
            url, blocks, published = truth.get("url"), article.blocks, article.published
            bare = replace(meta, types=(), og_type=None)
            rows.append(
                [
                    kind_features(signals, meta, url, blocks, published),
                    kind_features(signals, meta, None, blocks, published),
                    kind_features(signals, bare, url, blocks, published),
                ]
            )
            kinds.append(truth["page_type"])
            domains.append(truth.get("domain") or urlsplit(truth.get("url") or "").hostname or truth["id"])
    return rows, kinds, domains


def fit(x: Any, y: Any, classes: int, weight: Any) -> Any:
    """Weights (features + bias) x classes of a multinomial logistic regression; ``weight``
    per row."""
    import numpy as np

    n, d = x.shape
    xb = np.hstack([x, np.ones((n, 1))])
    target = np.eye(classes)[y]
    weights = np.zeros((d + 1, classes))
    penalty = np.ones((d + 1, 1))
    penalty[-1] = 0.0  # no penalty on the bias
    for _ in range(STEPS):
        z = xb @ weights
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        weights -= RATE * (xb.T @ ((p - target) * weight[:, None]) / n + L2 * penalty * weights / n)
    return weights


def _scores(weights: Any, x: Any) -> Any:
    import numpy as np

    return np.hstack([x, np.ones((len(x), 1))]) @ weights


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: report the cross-validated flag, and with ``--write`` write the model."""
    import numpy as np

    from newsclean.page.kind import KINDS, MARGINS

    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.train_kind", description=__doc__.splitlines()[0]
    )
    parser.add_argument("corpus", type=Path)
    parser.add_argument(
        "--write", action="store_true", help=f"write the weights to {MODEL.relative_to(ROOT)}"
    )
    args = parser.parse_args(argv)
    rows, kinds, domains = page_features(args.corpus)
    names = sorted(rows[0][0])
    views = len(rows[0])
    x = np.array([[view[name] for name in names] for row in rows for view in row])
    y = np.repeat([KINDS.index(kind) for kind in kinds], views)
    weight = np.tile([1.0] + [AUGMENTED] * (views - 1), len(rows))
    fold = np.repeat([int(hashlib.md5(d.encode()).hexdigest(), 16) % 2 for d in domains], views)
    original = np.tile([True] + [False] * (views - 1), len(rows))
    margins = np.zeros(len(y))
    for half in (0, 1):
        train = fold != half
        scores = _scores(fit(x[train], y[train], len(KINDS), weight[train]), x[fold == half])
        margins[fold == half] = scores[:, 0] - scores[:, 1:].max(axis=1)
    margins, y = margins[original], y[original]
    truth = y == 0
    quality: dict[str, dict[str, float]] = {}
    print(f"{args.corpus.name}: {len(y)} pages, {int(truth.sum())} articles; is_article, 2-fold by domain:")
    for favor, margin in MARGINS.items():
        flag = margins > margin
        tp, fp, fn = (int(np.sum(flag & truth)), int(np.sum(flag & ~truth)), int(np.sum(~flag & truth)))
        quality[favor] = {"precision": round(tp / (tp + fp), 3), "recall": round(tp / (tp + fn), 3)}
        print(f"  favor={favor:9s} precision {tp / (tp + fp):.3f}  recall {tp / (tp + fn):.3f}")
    if args.write:
        weights = fit(x, np.repeat([KINDS.index(kind) for kind in kinds], views), len(KINDS), weight)
        model = {
            "about": f"trained by benchmarks/train_kind.py on {args.corpus.name} ({len(y)} pages); "
            "is_article precision/recall of a 2-fold split by domain, per favor",
            "cross_validated": quality,
            "kinds": list(KINDS),
            "bias": [round(float(v), 4) for v in weights[-1]],
            "weights": {name: [round(float(v), 4) for v in weights[i]] for i, name in enumerate(names)},
        }
        MODEL.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {MODEL.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
