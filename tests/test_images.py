"""Images with their captions and credits, and the <meta> lists read once per page."""

from __future__ import annotations

from conftest import corpus_bodies
from hypothesis import given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser

from newsclean.page.images import (
    _CAPTION_NODES,
    _CAPTIONED_CANDIDATES,
    _CREDIT_NODES,
    _caption_or_credit,
    collect_images,
)
from newsclean.page.metadata import read_metadata

URL = "https://example.com/news/1"


def _images(body: str) -> list[tuple[str, str | None, str | None]]:
    tree = LexborHTMLParser(f"<html><body><article>{body}</article></body></html>")
    return [(i.url.rsplit("/", 1)[-1], i.caption, i.credit) for i in collect_images(tree, URL)]


def test_caption_found_in_the_box_around_the_image_up_to_three_levels() -> None:
    body = ('<div class="media"><div><span><img src="/a.jpg"></span></div>'
            '<p class="caption">Crowds in Belgrade</p></div>'
            '<div class="deep"><div><div><div><img src="/b.jpg"></div></div></div>'
            '<p class="caption">Too far from its image</p></div>')
    assert _images(body) == [("a.jpg", "Crowds in Belgrade", None), ("b.jpg", None, None)]


def test_a_box_holding_two_images_is_no_ones_caption() -> None:
    body = ('<div><img src="/a.jpg"><img src="/b.jpg"><span class="credit">Getty</span></div>'
            '<figure><img src="/c.jpg"><figcaption>A pier <span class="photo-credit">AP</span>'
            '</figcaption></figure>')
    assert _images(body) == [("a.jpg", None, None), ("b.jpg", None, None), ("c.jpg", "A pier", "AP")]


def test_the_box_may_itself_be_the_caption_element() -> None:
    body = '<div class="image-caption-wrap"><img src="/a.jpg"> Waves at the pier (Photo: Jo Roe)</div>'
    assert _images(body) == [("a.jpg", "Waves at the pier", "Jo Roe")]


def test_author_and_tag_meta_match_property_or_name_exactly_in_key_then_page_order() -> None:
    head = ('<meta name="Author" content="Wrong Case">'
            '<meta property="article:tag" content="storms">'
            '<meta name="dc.creator" content="Bo Chan">'
            '<meta name="author" content="  Ann   Lee ">'
            '<meta name="author" content=" ">'
            '<meta name="article:tag" content="coast">')
    meta = read_metadata(LexborHTMLParser(f"<html><head>{head}</head><body><p>x</p></body></html>"), URL)
    assert meta.authors == ("Ann Lee", "Bo Chan")
    assert meta.tags == ("storms", "coast")


# --- the caption and credit query ---------------------------------------------------------

_VALUES = ["caption", "Caption", "CAPTION", "photo-caption", "xaption", "credit", "Credit", "CREDIT",
           "discredited", "copyright", "Copyright", "copyrightHolder", "name", ""]


def _lexbor_and_ours(body) -> tuple[list[int], list[int]]:
    lexbor = {n.mem_id for n in body.css(f"{_CAPTION_NODES}, {_CREDIT_NODES}")}
    ours = {n.mem_id for n in body.css(_CAPTIONED_CANDIDATES) if _caption_or_credit(n)}
    return sorted(lexbor), sorted(ours)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["p", "span", "figcaption", "div"]),
                          st.lists(st.tuples(st.sampled_from(["class", "itemprop", "id"]),
                                             st.sampled_from(_VALUES)), max_size=3)),
                min_size=1, max_size=8), st.booleans())
def test_the_caption_candidates_are_the_caption_and_credit_nodes(elements, standards) -> None:
    nodes = "".join(f"<{tag} " + " ".join(f'{a}="{v}"' for a, v in dict(attrs).items()) + f">x</{tag}>"
                    for tag, attrs in elements)
    body = LexborHTMLParser(("<!DOCTYPE html>" if standards else "") + f"<body>{nodes}</body>").body
    lexbor, ours = _lexbor_and_ours(body)
    assert ours == lexbor


def test_the_caption_candidates_are_the_caption_and_credit_nodes_on_corpus_pages() -> None:
    found = 0
    for body in corpus_bodies("wcxb-dev", 15):
        lexbor, ours = _lexbor_and_ours(body)
        assert ours == lexbor
        found += len(lexbor)
    assert found > 100
