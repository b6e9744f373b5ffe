"""The user's own example: GB News text leaked by another extractor, and the same
article as a page built to GB News's template."""

from __future__ import annotations

import json

import newsclean

GBNEWS_URL = "https://www.gbnews.com/news/world/putin-serbia-ukraine-arms"


def _paragraphs(text: str) -> list[str]:
    return [p for p in text.strip().split("\n\n") if p]


def test_clean_text_gives_the_expected_paragraphs(fixture_text):
    article = newsclean.clean_text(fixture_text("gbnews-serbia.noisy.txt"))
    expected = _paragraphs(fixture_text("gbnews-serbia.expected.txt"))
    assert len(expected) == 16
    assert _paragraphs(article.text) == expected


def test_clean_text_removes_exactly_the_listed_lines(fixture_text):
    article = newsclean.clean_text(fixture_text("gbnews-serbia.noisy.txt"))
    wanted = json.loads(fixture_text("gbnews-serbia.removed.json"))["removed"]
    lines = fixture_text("gbnews-serbia.noisy.txt").splitlines()
    assert [r.text for r in article.removed] == [w["text"] for w in wanted]
    assert all(lines[w["line"]] == w["text"] for w in wanted)
    assert all(r.rule for r in article.removed)


def test_clean_text_records_why(fixture_text):
    article = newsclean.clean_text(fixture_text("gbnews-serbia.noisy.txt"))
    by_text = {r.text: r for r in article.removed}
    assert by_text["Getty"].kind == "credit"
    assert by_text["GB News"].rule == "generic.credit.site"
    assert by_text["Most Read"].kind == "heading"
    assert by_text["Serbian people attend a pro-Vucic rally last month"].rule == "text.caption"


def test_gbnews_page_gives_the_same_paragraphs(fixture_text):
    article = newsclean.clean(fixture_text("gbnews-serbia.html"), url=GBNEWS_URL)
    assert _paragraphs(article.text) == _paragraphs(fixture_text("gbnews-serbia.expected.txt"))
    assert article.title == (
        "Putin furious as Serbia accused of 'shooting Russia in the back' by arming Ukraine"
    )
    assert article.description == (
        "The Serbian president specifically denied that any missiles had been delivered to Ukraine"
    )
    assert article.site_name == "GB News"
    assert article.authors == ("Jane Example",)
    assert article.published == "2025-05-30T14:12:00+01:00"
    assert article.language == "en"
    assert article.reason is None and article.is_article


def test_gbnews_page_keeps_captions_and_credits_as_data(fixture_text):
    article = newsclean.clean(fixture_text("gbnews-serbia.html"), url=GBNEWS_URL)
    assert article.lead_image == "https://www.gbnews.com/media-library/putin.jpg"
    assert [i.credit for i in article.images] == ["Getty", "Getty", "Getty"]
    assert article.images[2].caption == "Serbian people attend a pro-Vucic rally last month"
    rules = {r.rule for r in article.removed}
    assert {"gbnews.node.video", "gbnews.node.widgets", "gbnews.node.media-credit"} <= rules


def test_gbnews_rules_apply_only_to_gbnews(fixture_text):
    elsewhere = newsclean.clean(fixture_text("gbnews-serbia.html"), url="https://example.com/a")
    assert not any(r.rule.startswith("gbnews.") for r in elsewhere.removed)
    # the generic rules alone still give the clean article on this template
    assert _paragraphs(elsewhere.text) == _paragraphs(fixture_text("gbnews-serbia.expected.txt"))
