"""The nesting estimate and the cheap bound that lets bound_markup skip it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsclean import Options
from newsclean.page import limits
from newsclean.page.limits import MAX_DEPTH, attribute_counts, bound_markup, nesting_depth

# Pieces that exercise every path of the estimate: end tags matching the top, end tags
# closing implied ends or formatting elements below, stray end tags, siblings, a <p>
# closed by a block, self-closing tags inside and outside <svg>, void tags, comments and
# a "<" that starts no tag.
UNITS = ["<div>", "</div>", "<span>", "</span>", "<p>", "</p>", "<li>", "</li>", "<ul>", "</ul>",
         "<b>", "</b>", "<a href='/x'>", "</a>", "<table>", "<tr>", "<td>", "</td>", "</table>",
         "<svg>", "<g/>", "</svg>", "<math>", "</math>", "<div/>", "<br>", "<img src=x>", "</br>",
         "<!-- <div> -->", "a < b", "<DIV>", "</Div>", "<option>", "<dd>", "<dt>", "text"]


def start_tag_bound(markup: str) -> int:
    """The bound bound_markup uses: every "<" but those of end tags."""
    return markup.count("<") - markup.count("</")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(UNITS), max_size=200))
def test_nesting_never_exceeds_the_start_tag_bound(units: list[str]) -> None:
    markup = "".join(units)
    assert nesting_depth(markup) <= start_tag_bound(markup)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(UNITS), min_size=1, max_size=12), st.integers(80, 400))
def test_flattening_follows_the_estimate_whether_or_not_the_bound_skips_it(
        units: list[str], times: int) -> None:
    markup = "<html><body>" + "".join(units) * times + "<p>Deep text.</p></body></html>"
    bounded = bound_markup(markup, Options())
    assert bounded.flattened == (nesting_depth(markup) > MAX_DEPTH)
    assert bounded.refused or "Deep text." in bounded.markup


@pytest.mark.parametrize(("levels", "flattened"), [(MAX_DEPTH - 1, False), (MAX_DEPTH, True)])
def test_the_limit_is_exact(levels: int, flattened: bool) -> None:
    # <html> and the divs: levels + 1 elements, with exactly that many start tags
    markup = "<html>" + "<div>" * levels + "Deep text." + "</div>" * levels + "</html>"
    assert nesting_depth(markup) == levels + 1
    assert bound_markup(markup, Options()).flattened is flattened


def test_many_shallow_tags_are_not_flattened() -> None:
    markup = "<html><body>" + "<p>a <b>b</b> <i>c</i></p>" * 2000 + "</body></html>"
    assert start_tag_bound(markup) > MAX_DEPTH  # so the estimate itself decides
    bounded = bound_markup(markup, Options())
    assert not bounded.flattened and bounded.markup == markup


@pytest.mark.parametrize(("markup", "depth"), [
    ("<div><p>a<div>b</div></div>", 2),  # the block closes the <p>
    ("<ul><li>a<li>b<li>c</ul>", 2),  # each <li> closes its sibling
    ("<div><b><i>x</b></i>y<span>", 3),  # </b> closes the <i> opened inside it
    ("<table><tr><td><span>a</table><div>", 5),  # a stray </table> behind a <span> closes nothing
    ("<svg><g/><g/><circle/></svg><div></div>", 1),  # "/>" closes in <svg> only
    ("<div/><div/><div/>", 3),  # ... not in HTML
    ("<svg><g><b></svg><div/>", 3),  # </svg> cannot close past a <b>
])
def test_estimate_follows_what_a_parser_surely_closes(markup: str, depth: int) -> None:
    assert nesting_depth(markup) == depth


def _counted_tag_by_tag(markup: str) -> list[int]:
    """attribute_counts as it was before it searched the code-free markup again: every tag of
    the code-free markup read (the reference)."""
    if limits._MANY_ATTRIBUTES_TAG.search(markup) is None:
        return []
    code_free = limits._without_code(markup)
    return [len(limits._ATTRIBUTE_ONE.findall(code_free, m.start(1), m.end()))
            for m in limits._TAG_ATTRIBUTES.finditer(code_free) if m.group(1) is not None]


MANY = "<div " + " ".join(f"a{i}" for i in range(120)) + ">"
ATTRIBUTE_UNITS = [MANY, "<p class='a'>", "text", "<script>if (a<b " + "c " * 150 + ") {}</script>",
                   "<!-- <i " + "x " * 130 + "-->", "<style>", "</style>", "<span ", "x ", "'", '"', ">",
                   "<b" + ' z=""' * 60]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(ATTRIBUTE_UNITS), max_size=12))
def test_attribute_counts_are_those_read_tag_by_tag(units: list[str]) -> None:
    markup = "".join(units)
    assert attribute_counts(markup) == _counted_tag_by_tag(markup)


def test_a_script_that_looks_like_a_crowded_tag_is_not_counted() -> None:
    script = "<script>for (i=0; i<ca.length; i++) {" + " x = y;" * 200 + "}</script>"
    assert limits._MANY_ATTRIBUTES_TAG.search(script) is not None  # the quick search is fooled
    assert attribute_counts(f"<p>Text</p>{script}") == []
    assert attribute_counts(f"{script}{MANY}") == [120]


@pytest.mark.parametrize(("markup", "reopened"), [
    ("<p><b id=1><b id=1><b id=1><b id=1>x</p><p>y</p>", 3),   # at most three identical stay
    ("<p><b id=1><b id=2></b>x</p><p>y</p>", 2),                 # an end tag takes the latest of its name
    ("<p><b><b><b></b><b>x</p><p>y</p>", 5),                    # ... so a fourth <b> fits again
    ("<p><b><i><b></b>x</p><p>y</p><p>z</p>", 6),
    ("<p><b><table><tr><td><i><u>x</td><td>y</table>z</p><p>w</p>", 0),  # a cell's marker keeps <b> out
    ("<p><b><td><i></td></td><i>x</p><p>y</p>", 3),              # a stray end of a cell: no marker to clear
    ("<p><font color=red><font color=red><font  color=red><font color=red></font>x</p><p>y</p>", 4),
])
def test_reopened_elements_follows_the_list_of_active_formatting_elements(markup: str, reopened: int) -> None:
    assert limits.reopened_elements(markup) == reopened
