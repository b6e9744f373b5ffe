"""Hostile page families: inputs whose cost once grew faster than their size (issue #15).

Each family builds an input at a ``scale`` (1 is the size the scaling tests start from):
``("page", html)`` for :func:`newsclean.clean`, ``("text", text)`` for
:func:`newsclean.clean_text`. ``python tests/hostile_families.py FAMILY SCALE`` cleans one
and prints its CPU seconds and peak RSS as JSON (what the scaling tests run, each size in a
process of its own).
"""

from __future__ import annotations

import json
import resource
import sys
import time
from collections.abc import Callable

SENTENCE = "The storm hit the coast on Monday night and cut power to thousands of homes. "
PROSE = "".join(f"<p>{SENTENCE * 3} Paragraph {i}.</p>" for i in range(8))


def _page(body: str) -> str:
    return f"<html><head><title>Storm</title></head><body>{body}<article>{PROSE}</article></body></html>"


def _n(base: int, scale: float) -> int:
    return max(1, round(base * scale))


def _attributes_glued(scale: float) -> str:
    return _page("<div " + "".join(f'a{i}="1"' for i in range(_n(2500, scale))) + ">x</div>")


def _attributes_quoted_names(scale: float) -> str:
    return _page("<div " + " ".join(f'a"{i}=1' for i in range(_n(2500, scale))) + ">x</div>")


def _attributes_many_elements(scale: float) -> str:
    tag = "<span " + " ".join(f"a{i}=1" for i in range(999)) + ">w</span>"
    return _page(tag * _n(75, scale))


def _table_spans(scale: float) -> str:
    cells = '<td colspan=100 rowspan=3>A storm hit the coast.</td>' * _n(75, scale)
    rows = "<tr><td>The storm hit the coast on Monday night.</td></tr>" * 3
    return f"<html><body><article><table><tr>{cells}</tr>{rows}</table></article></body></html>"


def _table_cells_in_a_row(scale: float) -> str:
    return _page("<table><tr>" + "<td>x" * _n(10_000, scale) + "</table>")


def _formatting_left_open(scale: float) -> str:
    opened = "".join(f'<b id="b{i}">' for i in range(_n(30, scale)))
    paragraphs = "".join(f"<p>Paragraph {i} of the text.</p>" for i in range(_n(150, scale)))
    return _page(f"<p>{opened}x</p>{paragraphs}")


def _formatting_left_open_in_cells(scale: float) -> str:
    # each cell's marker starts a part of the list of active formatting elements that the
    # re-opening estimate keeps; counting twins along the whole list was quadratic
    return _page("<p><b><i><span><a><font>The storm hit.<div><table><tr><td>" * _n(5000, scale))


def _links_in_one_paragraph(scale: float) -> str:
    # a link farm written as one paragraph: trafilatura (the fallback, as the native extractor
    # doubts it) reads a paragraph in time quadratic in its tags
    links = "".join(f'<a href="/l{i}">link {i}</a> and ' for i in range(_n(4000, scale)))
    return f"<html><body><article><p>{links}</p></article></body></html>"


def _links_in_one_div(scale: float) -> str:
    # the same in a <div>: trafilatura's time grows as the tags' count to the power 1.5
    links = "".join(f'<a href="/l{i}">link {i}</a> and ' for i in range(_n(8000, scale)))
    return f"<html><body><article><div>{links}</div></article></body></html>"


def _ampersands(scale: float) -> str:
    return _page("<p>" + "&" * _n(60_000, scale) + "&amp;" * _n(12_000, scale) + "</p>")


def _credit_lines(scale: float) -> str:
    return _page("<p>Photo: Getty Images</p>" * _n(6250, scale))


def _credit_lines_text(scale: float) -> str:
    return "Photo: Getty Images\n" * _n(6250, scale)


def _short_paragraphs(scale: float) -> str:
    return _page("".join(f"<p>Word {i}.</p>" for i in range(_n(8750, scale))))


def _nested_furniture(scale: float) -> str:
    depth = _n(25, scale)
    return ("<html><body><article>" + '<div class="share"><aside>' * depth + PROSE * _n(25, scale)
            + "</aside></div>" * depth + "</article></body></html>")


def _lower_case_paragraphs(scale: float) -> str:
    lines = (f"<p>and then the storm went on to hit house {i}</p>" for i in range(_n(625, scale)))
    return _page("".join(lines))


def _hard_wrapped_text(scale: float) -> str:
    lines = (f"the storm hit the coast near house {i} and then it went on" for i in range(_n(1250, scale)))
    return "\n".join(lines)


def _widget_headings_text(scale: float) -> str:
    # every line a widget heading ("More from ..."): each walked the teasers after it to the end
    return "\n".join(f"More from site {i}" for i in range(_n(12_500, scale)))


def _lines_sharing_bigrams(scale: float) -> str:
    return "\n".join(f"Storm hits coast again as seen from house {i}" for i in range(_n(12_500, scale)))


FAMILIES: dict[str, tuple[str, Callable[[float], str]]] = {
    "attributes-glued": ("page", _attributes_glued),
    "attributes-quoted-names": ("page", _attributes_quoted_names),
    "attributes-many-elements": ("page", _attributes_many_elements),
    "table-spans": ("page", _table_spans),
    "table-cells-in-a-row": ("page", _table_cells_in_a_row),
    "formatting-left-open": ("page", _formatting_left_open),
    "formatting-left-open-in-cells": ("page", _formatting_left_open_in_cells),
    "links-in-one-paragraph": ("page", _links_in_one_paragraph),
    "links-in-one-div": ("page", _links_in_one_div),
    "ampersands": ("page", _ampersands),
    "credit-lines": ("page", _credit_lines),
    "credit-lines-text": ("text", _credit_lines_text),
    "short-paragraphs": ("page", _short_paragraphs),
    "nested-furniture": ("page", _nested_furniture),
    "lower-case-paragraphs": ("page", _lower_case_paragraphs),
    "hard-wrapped-text": ("text", _hard_wrapped_text),
    "lines-sharing-bigrams": ("text", _lines_sharing_bigrams),
    "widget-headings-text": ("text", _widget_headings_text),
}


def measure(family: str, scale: float) -> dict[str, float]:
    """Clean one input of ``family`` at ``scale`` in this process: its size in bytes, the CPU
    seconds, the peak RSS in bytes and how far the call raised it."""
    import newsclean

    kind, build = FAMILIES[family]
    data = build(scale)
    newsclean.clean(f"<html><body><article>{PROSE}</article></body></html>")  # lazy set-up, untimed
    newsclean.clean_text("Warm-up line.\nGetty Images")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    started = time.process_time()
    article = newsclean.clean_text(data) if kind == "text" else newsclean.clean(data)
    spent = time.process_time() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return {"bytes": len(data.encode()), "seconds": spent, "peak_rss": peak, "rss_growth": peak - before,
            "text": len(article.text)}


if __name__ == "__main__":
    print(json.dumps(measure(sys.argv[1], float(sys.argv[2]))))
