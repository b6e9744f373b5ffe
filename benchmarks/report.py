"""Write a run's results: per corpus a markdown table, a JSON file and two PNG plots; and the docs page.

>>> row = {"body": {"n": 0}, "snippets": {"n": 2, "f1": 0.5, "precision": 1.0, "recall": 0.3333,
...        "se": {"f1": 0.1}}, "metadata": {"title": {"n": 0}, "authors": {"n": 0}, "date": {"n": 0}},
...        "leakage": {"share": 0.25}, "speed": {"docs_per_s": 12.5, "median_ms": 70.0, "p95_ms": 90.0},
...        "rss": {"peak_mb": 80.4}, "errors": 0, "timeouts": 1, "version": "1.0", "note": "call it"}
>>> summary = {"corpus": "toy", "headline_metric": "snippet_f1", "pages": 2, "headline_pages": 2,
...            "extractors": {"x": row}, "skipped": {"y": "ImportError: no module y"}}
>>> print(corpus_table(summary).splitlines()[2])
| x 1.0 | **0.500** ± 0.100 | 1.000 | 0.333 | 25.0% | 12.5 | 70.0 | 90.0 | 80 | 1 |
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

__all__ = [
    "SPEED_END",
    "SPEED_START",
    "corpus_markdown",
    "corpus_table",
    "docs_page",
    "headline",
    "plot_corpus",
    "put_speed_section",
    "speed_table",
    "trails",
    "write_corpus",
]

Summary = Mapping[str, Any]


def _get(row: Mapping[str, Any], path: str) -> Any:
    value: Any = row
    for part in path.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def _f(x: Any, nd: int = 3) -> str:
    return "–" if x is None else f"{x:.{nd}f}"


def _pct(x: Any) -> str:
    return "–" if x is None else f"{100 * x:.1f}%"


def headline(summary: Summary, name: str) -> float | None:
    """The headline F1 of one extractor in a corpus summary."""
    group = "body" if summary["headline_metric"] == "body_f1" else "snippets"
    value = _get(summary["extractors"][name], f"{group}.f1")
    return float(value) if value is not None else None


_LEAKY_NOTE = ("Leaky pages = share of pages whose output holds one of the truth's `without` snippets "
               "(text that must not be there). ")


def _first_row(summary: Summary) -> Mapping[str, Any]:
    rows = list(summary["extractors"].values())
    return rows[0] if rows else {}


def _columns(summary: Summary) -> list[tuple[str, str, str]]:
    """(header, dotted path, format) for the columns this corpus has truth for."""
    rows = list(summary["extractors"].values())
    first = rows[0] if rows else {}
    cols: list[tuple[str, str, str]] = []
    groups = ["body", "snippets"]
    if summary["headline_metric"] == "snippet_f1":
        groups.reverse()
    for group in groups:
        n = _get(first, f"{group}.n") or 0
        if not n:
            continue
        label = "Body" if group == "body" else "Snippet"
        cols.append((f"{label} F1 ± SE (n={n})", f"{group}.f1", "f1se"))
        cols.append((f"{label} P", f"{group}.precision", "f"))
        cols.append((f"{label} R", f"{group}.recall", "f"))
        if group == "snippets" and _get(first, "snippets.leaky") is not None:
            cols.append(("Leaky pages", "snippets.leaky", "pct"))
        if group == "body":
            cols.append(("Body acc", "body.accuracy", "f"))
    for key, label, metric in (("title", "Title", "accuracy"), ("authors", "Authors F1", "f1"),
                               ("date", "Date", "accuracy")):  # fmt: skip
        n = _get(first, f"metadata.{key}.n") or 0
        if n:
            cols.append((f"{label} (n={n})", f"metadata.{key}.{metric}", "f"))
    cols += [
        ("Leak", "leakage.share", "pct"),
        ("docs/s", "speed.docs_per_s", "f1d"),
        ("median ms", "speed.median_ms", "f1d"),
        ("p95 ms", "speed.p95_ms", "f1d"),
    ]
    if "trafilatura" in summary["extractors"] and len(rows) > 1:  # timed in the same interleaved run
        cols.append(("× trafilatura docs/s", "speed.docs_per_s", "ratio"))
    if any(_get(r, "speed.fallback") is not None for r in rows):  # newsclean's trafilatura fallback
        cols.append(("fallback", "speed.fallback", "pct"))
    cols += [("peak RSS MB", "rss.peak_mb", "int"), ("fail", "fail", "int")]
    return cols


def _best(summary: Summary, path: str, lower: bool = False) -> float | None:
    values = [float(v) for r in summary["extractors"].values() if (v := _get(r, path)) is not None]
    if not values:
        return None
    return min(values) if lower else max(values)


def _order(summary: Summary) -> list[str]:
    return sorted(summary["extractors"], key=lambda n: -(headline(summary, n) or -1.0))


def corpus_table(summary: Summary) -> str:
    """The markdown results table of one corpus, best headline F1 first; the best of each F1 in bold."""
    cols = _columns(summary)
    lines = ["| Extractor | " + " | ".join(c[0] for c in cols) + " |", "|---" * (len(cols) + 1) + "|"]
    for name in _order(summary):
        row = summary["extractors"][name]
        cells = [f"{name} {row.get('version', '')}".strip()]
        for _, path, fmt in cols:
            if path == "fail":
                cells.append(str((row.get("errors") or 0) + (row.get("timeouts") or 0)))
                continue
            value = _get(row, path)
            if fmt == "f1se":
                text = _f(value)
                if value is not None and value == _best(summary, path):
                    text = f"**{text}**"
                se = _get(row, path.rsplit(".", 1)[0] + ".se.f1")
                cells.append(f"{text} ± {_f(se)}" if se is not None else text)
            elif fmt == "pct":
                cells.append(_pct(value))
            elif fmt == "ratio":  # against trafilatura.extract, timed in the same interleaved run
                base = _get(summary["extractors"].get("trafilatura", {}), path)
                cells.append(f"{value / base:.2f}×" if value and base else "–")
            elif fmt == "f1d":
                cells.append(_f(value, 1))
            elif fmt == "int":
                cells.append("–" if value is None else f"{value:.0f}")
            else:
                cells.append(_f(value))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


_TRAIL_METRICS = (
    ("body.f1", "body F1", False), ("body.precision", "body precision", False),
    ("body.recall", "body recall", False), ("snippets.f1", "snippet F1", False),
    ("snippets.precision", "snippet precision", False), ("snippets.recall", "snippet recall", False),
    ("metadata.title.accuracy", "title accuracy", False), ("metadata.authors.f1", "authors F1", False),
    ("snippets.leaky", "pages leaking a `without` snippet", True),
    ("metadata.date.accuracy", "date accuracy", False), ("leakage.share", "boilerplate leakage", True),
    ("speed.docs_per_s", "docs/s", False), ("rss.peak_mb", "peak RSS", True),
)  # fmt: skip


def _fmt(path: str, value: Any) -> str:
    if path in ("leakage.share", "snippets.leaky"):
        return _pct(value)
    return _f(value, 1) if path in ("speed.docs_per_s", "rss.peak_mb") else _f(value)


def trails(summary: Summary, ours: str = "newsclean") -> list[str]:
    """One line per metric where a peer beats ``ours``, naming the peers and their numbers."""
    rows = summary["extractors"]
    if ours not in rows:
        return []
    out = []
    for path, label, lower in _TRAIL_METRICS:
        mine = _get(rows[ours], path)
        if mine is None:
            continue
        nd = 1 if path in ("speed.docs_per_s", "rss.peak_mb") else 3  # as displayed: no ties shown as wins
        better = [
            (name, v)
            for name, row in rows.items()
            if not name.startswith(ours)  # its own settings (newsclean-recall) are not peers
            and (v := _get(row, path)) is not None
            and (round(v, nd) < round(mine, nd) if lower else round(v, nd) > round(mine, nd))
        ]
        if better:
            better.sort(key=lambda x: x[1], reverse=not lower)
            peers = ", ".join(f"{n} {_fmt(path, v)}" for n, v in better)
            out.append(f"- {label}: {ours} {_fmt(path, mine)}; better: {peers}")
    return out


def corpus_markdown(summary: Summary, *, plots: Sequence[str] = (), level: int = 2) -> str:
    """Table, notes, trailing metrics, skipped extractors and plots of one corpus, as markdown."""
    h = "#" * level
    metric = "body (shingle) F1" if summary["headline_metric"] == "body_f1" else "snippet F1"
    parts = [
        f"{h} Corpus `{summary['corpus']}`",
        "",
        f"{summary['headline_pages']} pages scored"
        + (f" ({summary['pages'] - summary['headline_pages']} synthetic pages left out)"
           if summary["pages"] != summary["headline_pages"] else "")
        + f"; rows sorted by {metric}. "
        + (_LEAKY_NOTE if _get(_first_row(summary), "snippets.leaky") is not None else "")
        + "Leak = share of pages whose output has a credit, widget-heading "
        "or share line that the truth does not have. Speed: one core per worker, sequential, "
        "extractors interleaved page by page. fail = errors + timeouts (scored as empty output).",
        "",
        corpus_table(summary),
        "",
    ]  # fmt: skip
    if summary.get("skipped"):
        parts += [
            "Skipped (not installed or failed to load): "
            + "; ".join(f"{k} ({v})" for k, v in sorted(summary["skipped"].items())),
            "",
        ]
    lines = trails(summary)
    if lines:
        parts += [f"{h}# Where newsclean trails", "", *lines, ""]
    for plot in plots:
        parts += [f"![{Path(plot).stem}]({plot})", ""]
    return "\n".join(parts)


_MARKERS = "os^Dv<>pPhX*"


def _styles(names: Sequence[str]) -> dict[str, dict[str, Any]]:
    """A distinct colour and marker per extractor; newsclean a large red star."""
    import matplotlib

    tab = matplotlib.colormaps["tab20"].colors
    colours = [tab[i] for i in (0, 2, 4, 8, 10, 12, 14, 16, 18, 1, 3, 5, 9, 11, 13, 15, 17, 19)]  # no reds
    styles: dict[str, dict[str, Any]] = {}
    for i, name in enumerate(sorted(names)):
        styles[name] = {"color": colours[i % len(colours)], "marker": _MARKERS[i % len(_MARKERS)]}
        if name == "newsclean":
            styles[name] = {"color": "red", "marker": "*", "s": 220, "zorder": 5, "edgecolors": "black"}
    return styles


def plot_corpus(summary: Summary, out_dir: Path) -> list[Path]:
    """Two PNG plots: headline F1 against docs/s (log scale), and precision against recall."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    group = "body" if summary["headline_metric"] == "body_f1" else "snippets"
    label = "body (shingle)" if group == "body" else "snippet"
    rows = summary["extractors"]
    name = summary["corpus"]
    styles = _styles(list(rows))
    paths = []

    def finish(fig: Any, ax: Any, path: Path) -> None:
        ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8, frameon=False, scatterpoints=1)
        ax.grid(True, which="both", alpha=0.3)
        fig.tight_layout()
        fig.savefig(path)
        plt.close(fig)
        paths.append(path)

    fig, ax = plt.subplots(figsize=(9, 5.5), dpi=110)
    for ext in _order(summary):
        x, y = _get(rows[ext], "speed.docs_per_s"), _get(rows[ext], f"{group}.f1")
        if x and y is not None:
            ax.scatter([x], [y], label=ext, **{"s": 60, **styles[ext]})
    ax.set_xscale("log")
    ax.set_xlabel("documents per second, one core (log scale)")
    ax.set_ylabel(f"{label} F1")
    ax.set_title(f"{name}: quality against speed")
    finish(fig, ax, out_dir / f"{name}-f1-speed.png")

    fig, ax = plt.subplots(figsize=(8.5, 6), dpi=110)
    values = [
        v
        for row in rows.values()
        for k in ("recall", "precision")
        if (v := _get(row, f"{group}.{k}")) is not None
    ]
    lo = max(0.0, min([0.8, *values]) - 0.03)
    for f1 in [x / 100 for x in range(50, 100, 5)]:  # iso-F1 curves
        pts = [(r, f1 * r / (2 * r - f1)) for r in (i / 400 for i in range(1, 401)) if 2 * r > f1]
        pts = [(r, p) for r, p in pts if lo <= p <= 1.0 and r >= lo]
        if pts:
            ax.plot([r for r, _ in pts], [p for _, p in pts], color="grey", lw=0.6, alpha=0.4)
            ax.annotate(f"F1 {f1:.2f}", pts[-1], fontsize=6, color="grey")
    for ext in _order(summary):
        r, p = _get(rows[ext], f"{group}.recall"), _get(rows[ext], f"{group}.precision")
        if r is not None and p is not None:
            ax.scatter([r], [p], label=ext, **{"s": 60, **styles[ext]})
    ax.set_xlim(lo, 1.005)
    ax.set_ylim(lo, 1.005)
    ax.set_xlabel(f"{label} recall")
    ax.set_ylabel(f"{label} precision")
    ax.set_title(f"{name}: precision against recall (grey: iso-F1)")
    finish(fig, ax, out_dir / f"{name}-precision-recall.png")
    return paths


def write_corpus(summary: Summary, out_dir: Path) -> dict[str, Path]:
    """``<corpus>.json``, ``<corpus>.md`` and the plots in ``out_dir`` (no plots without matplotlib)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    name = summary["corpus"]
    files = {"json": out_dir / f"{name}.json"}
    files["json"].write_text(json.dumps(summary, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    try:
        plots = plot_corpus(summary, out_dir)
    except ImportError:
        plots = []
    for p in plots:
        files[p.stem] = p
    md = corpus_markdown(summary, plots=[p.name for p in plots], level=1)
    files["md"] = out_dir / f"{name}.md"
    files["md"].write_text(md + "\n", encoding="utf-8")
    return files


def docs_page(
    run: Mapping[str, Any], summaries: Sequence[Summary], docs_path: Path, plot_files: Sequence[Path]
) -> Path:
    """Write the docs page (e.g. ``docs/benchmarks.md``) and copy the plots to ``docs/benchmarks/``."""
    assets = docs_path.parent / docs_path.stem
    assets.mkdir(parents=True, exist_ok=True)
    for p in plot_files:
        shutil.copyfile(p, assets / p.name)
    from benchmarks.method import METHOD

    head = [
        "# Benchmarks",
        "",
        "<!-- generated by `python -m benchmarks run --docs ...`; "
        "edit benchmarks/method.py or benchmarks/report.py instead -->",
        "",
        f"Run {run['date']} on {run['machine']}; Python {run['python']}; wall time {run['wall_s']:.0f} s "
        f"with {run['jobs']} worker(s), CPU time {run.get('cpu_s', 0):.0f} s "
        "(the machine was shared with other jobs: wall time on an idle one is about CPU time / workers). "
        f"Load average before/after: {run['load_before']} / {run['load_after']}.",
        "",
        "Reproduce from a clone, with the peers in a venv of their own (so their pins cannot disturb",
        "the core install) and the corpora in a folder of their own ([The corpora](#the-corpora) says",
        "where they come from); `diff` then lists the pages where a peer beats newsclean:",
        "",
        "```",
        "python -m venv ../venv-bench && ../venv-bench/bin/pip install -e '.[bench]'",
        "../venv-bench/bin/" + run["command"],
        "../venv-bench/bin/python -m benchmarks diff trafilatura --b trafilatura   # or readability, goose",
        "```",
        "",
        "| Extractor | Version | How it is called |",
        "|---|---|---|",
        *[f"| {n} | {v['version']} | {v['note']} |" for n, v in run["extractors"].items()],
        "",
    ]  # fmt: skip
    old = docs_path.read_text(encoding="utf-8") if docs_path.is_file() else ""
    if SPEED_START in old and SPEED_END in old:  # the speed section, written by `benchmarks speed`, stays
        head += [old[old.index(SPEED_START) : old.index(SPEED_END) + len(SPEED_END)], ""]
    body = []
    for summary in summaries:
        plots = [f"{assets.name}/{p.name}" for p in plot_files if p.name.startswith(summary["corpus"] + "-")]
        body += [corpus_markdown(summary, plots=plots, level=2), ""]
    docs_path.write_text("\n".join(head + body) + "\n" + METHOD, encoding="utf-8")
    return docs_path


SPEED_START = "<!-- speed:start (python -m benchmarks speed) -->"
SPEED_END = "<!-- speed:end -->"


def _speed(summary: Summary, name: str) -> Mapping[str, Any]:
    return summary["extractors"].get(name, {}).get("speed") or {}


def speed_table(after: Sequence[Summary], before: Sequence[Summary] = (),
                types: Sequence[str] = ("article",)) -> str:
    """Markdown: per corpus, newsclean's and trafilatura.extract's docs/s, timed page by page
    in the same interleaved run, their ratio, median and p95 ms per page, the share of pages
    newsclean handed to trafilatura, and peak RSS; with ``before`` (an earlier run on the same
    corpora), its ratio and p95 beside. A corpus that gives page types gets a row for the
    pages of each of ``types`` too (wcxb-dev's articles: what a news pipeline feeds it).

    >>> def run(ours, theirs, fallback=0.05):
    ...     speed = {"docs_per_s": ours, "median_ms": 5.0, "p95_ms": 9.0, "fallback": fallback}
    ...     return {"corpus": "toy", "pages": 10, "extractors": {
    ...         "newsclean": {"rss": {"peak_mb": 90.0}, "speed": {
    ...             **speed, "by_type": {"article": {**speed, "n": 4, "docs_per_s": 50.0}}}},
    ...         "trafilatura": {"speed": {"docs_per_s": theirs, "median_ms": 11.0, "p95_ms": 30.0,
    ...                                   "by_type": {"article": {"n": 4, "docs_per_s": 27.0}}},
    ...                         "rss": {"peak_mb": 120.0}}}}
    >>> for row in speed_table([run(60.0, 30.0)], [run(45.0, 30.0)]).splitlines()[2:]:
    ...     print(row)
    | toy | 10 | 60.0 | 30.0 | **2.00×** | 1.50× | 5.0 / 9.0 | 11.0 / 30.0 | 9.0 | 5.0% | 90 / 120 |
    | toy: article pages | 4 | 50.0 | 27.0 | 1.85× | 1.85× | 5.0 / 9.0 | – / – | 9.0 | 5.0% | – |
    """
    earlier = {s["corpus"]: s for s in before}
    rows = ["| corpus | pages | newsclean docs/s | trafilatura docs/s | × trafilatura | before | "
            "newsclean ms median / p95 | trafilatura ms median / p95 | p95 before | fallback | "
            "peak RSS MB newsclean / trafilatura |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for summary in after:
        was = earlier.get(summary["corpus"])
        ours, theirs = _speed(summary, "newsclean"), _speed(summary, "trafilatura")
        old_ours, old_theirs = (_speed(was, "newsclean"), _speed(was, "trafilatura")) if was else ({}, {})
        rss = [summary["extractors"].get(n, {}).get("rss", {}).get("peak_mb")
               for n in ("newsclean", "trafilatura")]
        rows.append(_speed_row(summary["corpus"], summary.get("pages", "–"), ours, theirs, old_ours,
                               old_theirs, " / ".join("–" if v is None else f"{v:.0f}" for v in rss)))
        for kind in types:
            part, their_part = ours.get("by_type", {}).get(kind), theirs.get("by_type", {}).get(kind)
            if part and their_part and part.get("n") != ours.get("n"):  # not when it is the whole corpus
                rows.append(_speed_row(f"{summary['corpus']}: {kind} pages", part.get("n", "–"), part,
                                       their_part, old_ours.get("by_type", {}).get(kind, {}),
                                       old_theirs.get("by_type", {}).get(kind, {}), "–"))
    return "\n".join(rows)


def _speed_row(label: str, pages: Any, ours: Mapping[str, Any], theirs: Mapping[str, Any],
               old_ours: Mapping[str, Any], old_theirs: Mapping[str, Any], rss: str) -> str:
    ratio = (ours.get("docs_per_s") or 0) / (theirs.get("docs_per_s") or float("inf"))
    shown = f"**{ratio:.2f}×**" if ratio >= 2 else f"{ratio:.2f}×"
    was_ratio = "–"
    if old_ours.get("docs_per_s") and old_theirs.get("docs_per_s"):
        was_ratio = f"{old_ours['docs_per_s'] / old_theirs['docs_per_s']:.2f}×"
    was_p95 = _f(old_ours.get("p95_ms"), 1) if old_ours else "–"
    return (f"| {label} | {pages} | {_f(ours.get('docs_per_s'), 1)} | {_f(theirs.get('docs_per_s'), 1)} "
            f"| {shown} | {was_ratio} "
            f"| {_f(ours.get('median_ms'), 1)} / {_f(ours.get('p95_ms'), 1)} "
            f"| {_f(theirs.get('median_ms'), 1)} / {_f(theirs.get('p95_ms'), 1)} | {was_p95} "
            f"| {_pct(ours.get('fallback'))} | {rss} |")


def put_speed_section(docs_path: Path, section: str) -> None:
    """Write ``section`` between :data:`SPEED_START` and :data:`SPEED_END` in ``docs_path``,
    replacing the old one, or after the page's first table when there is none."""
    text = docs_path.read_text(encoding="utf-8") if docs_path.is_file() else "# Benchmarks\n"
    block = f"{SPEED_START}\n{section.strip()}\n{SPEED_END}"
    if SPEED_START in text and SPEED_END in text:
        text = text[: text.index(SPEED_START)] + block + text[text.index(SPEED_END) + len(SPEED_END) :]
    else:
        at = text.find("\n## ")
        text = text + "\n" + block + "\n" if at < 0 else text[: at + 1] + block + "\n" + text[at:]
    docs_path.write_text(text, encoding="utf-8")
