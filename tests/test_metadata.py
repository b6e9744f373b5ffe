"""Metadata read from the page itself: headline, bylines, dates."""

from __future__ import annotations

import pytest
from conftest import corpus_bodies
from hypothesis import given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser

from newsclean.page.authors import (
    _BYLINE_CANDIDATES,
    _BYLINE_NODES,
    _BYLINE_TESTS,
    _byline_match,
    clean_authors,
)
from newsclean.page.dom import distinct
from newsclean.page.metadata import read_metadata
from newsclean.page.title import strip_site


def _meta(head: str, body: str, url: str | None = "https://www.example-news.com/a/1"):
    page = LexborHTMLParser(f"<html><head>{head}</head><body>{body}</body></html>")
    return read_metadata(page, url)


# --- headline -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "site", "url", "expected"),
    [
        ("Storm hits coast | Daily Example", "Daily Example", None, "Storm hits coast"),
        ("Daily Example - Storm hits coast", "Daily Example", None, "Storm hits coast"),
        ("Storm hits coast › example-news.com", None, "https://example-news.com/x", "Storm hits coast"),
        ("Storm hits coast - Example News - Local", "Example News", None,
         "Storm hits coast - Example News - Local"),
        ("Storm hits coast - Local - Example News", "Example News", None, "Storm hits coast - Local"),
        ("Brexit: talks stall again", "Daily Example", None, "Brexit: talks stall again"),
        ("Daily Example", "Daily Example", None, "Daily Example"),
    ],
)
def test_strip_site_drops_only_end_parts_naming_the_site(title, site, url, expected):
    assert strip_site(title, site, url) == expected


def test_headline_is_the_declared_title_without_the_site_name():
    meta = _meta('<meta property="og:title" content="Storm hits the coast | Example News">'
                 '<meta property="og:site_name" content="Example News">', "<p>Text</p>")
    assert meta.title == "Storm hits the coast"


def test_headline_prefers_the_single_h1_sharing_words_with_the_declared_title():
    meta = _meta('<meta property="og:title" content="Storm: coast braces">',
                 "<h1>Storm hits the coast as the coast braces for more</h1><p>Text</p>")
    assert meta.title == "Storm hits the coast as the coast braces for more"


def test_headline_ignores_an_h1_unrelated_to_the_declared_title():
    meta = _meta('<meta property="og:title" content="Babies who eat peanuts early may avoid allergy">',
                 "<h1>Health Center</h1><p>Text</p>")
    assert meta.title == "Babies who eat peanuts early may avoid allergy"


def test_headline_drops_a_kicker_the_h1_adds():
    meta = _meta('<meta property="og:title" content="Talks stall over fishing rights">',
                 "<h1><span>Brexit</span> Talks stall over fishing rights</h1>")
    assert meta.title == "Talks stall over fishing rights"


def test_headline_falls_back_to_the_title_element_and_unescapes_it():
    meta = _meta("<title>Caf&amp;eacute; owners &amp;amp; the rent - Example News</title>", "<p>x</p>",
                 url="https://www.example-news.com/x")
    assert meta.title == "Café owners & the rent"


def test_headline_among_several_h1s_is_the_one_the_title_begins_with():
    meta = _meta("<title>Small sheep facts | The Sheep Comic</title>",
                 "<h1>The Sheep Comic</h1><h1>Small sheep facts</h1><h1>Archive</h1>")
    assert meta.title == "Small sheep facts"


# --- authors ------------------------------------------------------------------------------


def test_byline_link_with_rel_author():
    meta = _meta("", '<article><a rel="author" href="/author/jd">Jane Doe</a><p>Text</p></article>')
    assert meta.authors == ("Jane Doe",)


@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        ("Von Patrick Czerny -", ("Patrick Czerny",)),
        ("Janic Cathomen, 01.12.2021", ("Janic Cathomen",)),
        ("By Steven Musil January 5, 2017 10:02 AM PST", ("Steven Musil",)),
        ("Eingestellt von der Michel", ("der Michel",)),
        ("Published by Daniel Roe · 3 min read", ("Daniel Roe",)),
        ("By Jane Doe and John Roe", ("Jane Doe", "John Roe")),
    ],
)
def test_byline_text_loses_prefixes_dates_and_trailers(byline, expected):
    meta = _meta("", f'<article><span class="entry-meta-author">{byline}</span><p>Text</p></article>')
    assert meta.authors == expected


def test_byline_in_comments_is_not_the_author():
    meta = _meta("", '<article><p>Text</p></article><ol class="comment-list"><li>'
                 '<cite class="comment-author">Commenter Name</cite></li></ol>')
    assert meta.authors == ()


def test_byline_only_the_first_element_and_its_siblings():
    body = ('<div class="byline"><a rel="author">Ann Lee</a>, <a rel="author">Bo Chan</a></div>'
            '<p>Text</p><aside><a rel="author">Other Writer</a></aside>')
    assert _meta("", body).authors == ("Ann Lee", "Bo Chan")


def test_byline_labels_are_not_names():
    body = '<div class="author-box"><h4 class="author-title">About the author</h4></div><p>Text</p>'
    assert _meta("", body).authors == ()


def test_meta_author_needs_a_full_name_unless_written_without_spaces():
    assert _meta('<meta name="author" content="admin2">', "<p>x</p>").authors == ()
    assert _meta('<meta name="author" content="Jane Doe">', "<p>x</p>").authors == ("Jane Doe",)
    assert _meta('<meta name="author" content="肖春芳">', "<p>x</p>").authors == ("肖春芳",)


def test_an_empty_json_ld_author_falls_through_to_the_byline():
    head = ('<script type="application/ld+json">{"@type": "NewsArticle", '
            '"author": {"@type": "Person", "name": "Reuters"}}</script>')
    meta = _meta(head, '<span class="byline">By Jane Doe</span><p>Text</p>')
    assert meta.authors == ("Jane Doe",)


def test_clean_authors_refuses_non_names():
    assert clean_authors(["Archiv anzeigen →", "Name *", "Jane Doe"]) == ("Jane Doe",)




def test_headline_an_h1_confirming_another_declared_title_wins():
    head = ('<script type="application/ld+json">{"@type": "Article", "headline": "country in Oceania"}'
            "</script><title>New Zealand - Example Encyclopedia</title>")
    meta = _meta(head, "<h1>New Zealand</h1><p>Text</p>", url="https://en.example-encyclopedia.org/wiki/NZ")
    assert meta.title == "New Zealand"


def test_a_leading_title_part_must_be_the_site_name_itself():
    meta = _meta('<meta property="og:site_name" content="Steven">'
                 "<title>Leaves @ Steven :: Blogland</title>", "<p>x</p>", url=None)
    assert meta.title == "Leaves @ Steven :: Blogland"


# --- the byline query -----------------------------------------------------------------------

_NAMES = ["author", "Author", "AUTHOR", "author-name", "authorName", "AuthorName", "author_name", "autor",
          "Autor", "byline", "Byline", "BYLINE", "post-author", "x-autor-y", "co-authored", "writer", "",
          "a author", "author\tb", "a\u00a0author", "author nofollow", "aUTHOR"]
_ATTRIBUTES = ["class", "id", "rel", "itemprop", "data-author", "data-x"]


def _matches_through_candidates(body, tests) -> list[int]:
    return [n.mem_id for n in distinct(body.css(_BYLINE_CANDIDATES)) if _byline_match(n.attributes, tests)]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.tuples(st.sampled_from(_ATTRIBUTES), st.sampled_from(_NAMES)), max_size=3),
                min_size=1, max_size=8), st.booleans())
def test_the_byline_candidates_hold_every_match_of_each_list(elements, standards) -> None:
    # each list's own matches are the candidates that match it, in document order, in
    # quirks and standards mode alike (quirks mode makes ".author" match "AUTHOR", not these)
    divs = "".join("<div " + " ".join(f'{a}="{v}"' if v else a for a, v in dict(attrs).items()) + ">x</div>"
                   for attrs in elements)
    body = LexborHTMLParser(("<!DOCTYPE html>" if standards else "") + f"<body>{divs}</body>").body
    for selector, tests in zip(_BYLINE_NODES, _BYLINE_TESTS, strict=True):
        expected = [n.mem_id for n in distinct(body.css(selector))]
        assert _matches_through_candidates(body, tests) == expected


def test_the_byline_candidates_hold_every_match_on_the_corpus_pages() -> None:
    found = 0
    for body in corpus_bodies("wcxb-dev", 15):
        for selector, tests in zip(_BYLINE_NODES, _BYLINE_TESTS, strict=True):
            expected = [n.mem_id for n in distinct(body.css(selector))]
            assert _matches_through_candidates(body, tests) == expected
            found += len(expected)
    assert found > 50  # the pages do have bylines
