"""Credit tails are searched only where a match can start."""

from __future__ import annotations

import re
import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsclean.page import credits

with warnings.catch_warnings():  # sre_parse: the only public way to a regex's width
    warnings.simplefilter("ignore", DeprecationWarning)
    import sre_parse

TAILS = [(credits.CREDIT_TAIL, credits.CREDIT_TAIL_WIDTH),
         (credits.CAPTION_CREDIT, credits.CAPTION_CREDIT_WIDTH)]
PIECES = st.sampled_from(["Crowds in Belgrade", " ", "  ", "\n", ".", ":", "(", ")", "©", "Photo", "photos",
                          "pictures", "Bild", "Getty Images", "reuters", "x" * 70, "Jo Roe/AFP", "\u2003"])


@pytest.mark.parametrize(("pattern", "width"), TAILS)
def test_width_is_the_longest_match_before_the_trailing_whitespace(pattern: re.Pattern[str],
                                                                   width: int) -> None:
    body = pattern.pattern.removesuffix(r"\s*$")
    assert body != pattern.pattern
    assert sre_parse.parse(body, pattern.flags).getwidth()[1] == width


# A caption and a credit of any length, as the patterns' parts allow: "... (Photos by xxx)  ".
CAPTIONS = st.builds(
    lambda caption, opener, filler, closer, space: caption + opener + filler + closer + space,
    st.sampled_from(["", "Crowds in Belgrade ", "Waves.", "Crowds in Belgrade (left) "]),
    st.sampled_from(["(Photo", "(pictures ", "(Credits", "Photo: ", "Bild:", "© ", "photographs : "]),
    st.integers(0, 110).map(lambda n: ("Jo Roe/AFP " * 11)[:n]),
    st.sampled_from(["", ")", ".", ") Reuters", "Getty Images"]),
    st.sampled_from(["", " ", "  \n", "\u2003"]),
)


@settings(max_examples=500, deadline=None)
@given(st.lists(PIECES, max_size=30).map("".join) | CAPTIONS)
def test_tail_search_finds_what_a_full_search_finds(text: str) -> None:
    for pattern, width in TAILS:
        full, tail = pattern.search(text), credits.tail_match(pattern, width, text)
        assert (full and full.span()) == (tail and tail.span())


@pytest.mark.parametrize(("pattern", "width", "credit"), [
    (*TAILS[0], "(picturess " + "y" * 99 + ")"),
    (*TAILS[1], "(pictures " + "y" * 79 + ")"),
])
def test_the_longest_tail_is_found(pattern: re.Pattern[str], width: int, credit: str) -> None:
    text = f"Crowds in Belgrade {credit} \n"
    match = credits.tail_match(pattern, width, text)
    assert match is not None and match.group().strip() == credit and len(credit) == width
