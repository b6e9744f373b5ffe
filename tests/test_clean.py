"""clean(): structure, metadata, and honest empty results."""

from __future__ import annotations

import json

import pytest

import newsclean

PARA = "The committee published its findings on Thursday after a year of hearings. "


def test_structure_survives_as_typed_blocks():
    html = (f"<html><body><article><p>{PARA * 3}</p><h2>What happens next</h2>"
            "<p>Ministers have three months to respond to the report and its twelve proposals.</p>"
            "<ul><li>First recommendation of the report</li><li>Second recommendation of it</li></ul>"
            "<blockquote><p>We will act on every one of them.</p></blockquote>"
            "<p>The chair of the committee said she expected a full answer by the spring.</p>"
            "</article></body></html>")
    article = newsclean.clean(html)
    kinds = [b.kind for b in article.blocks]
    assert kinds == ["paragraph", "heading", "paragraph", "list_item", "list_item", "quote", "paragraph"]
    assert "## What happens next" in article.markdown
    assert "- First recommendation of the report" in article.markdown
    assert "> We will act on every one of them." in article.markdown
    assert "<h2>What happens next</h2>" in article.html and "<li>" in article.html


def test_article_round_trips_through_json(fixture_text):
    article = newsclean.clean(fixture_text("gbnews-serbia.html"), url="https://www.gbnews.com/a")
    data = json.loads(article.to_json())
    assert data["text"] == article.text and data["word_count"] == article.word_count
    assert newsclean.Article.from_json(article.to_json()) == article


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty input"),
        ("   \n\t ", "empty input"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (bytes(range(256)) * 20, "binary"),
        ('{"id": 1, "title": "json"}', "JSON"),
        ('<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>', "feed"),
        ("just some words with no markup at all", "no markup"),
        ("<html><body><nav><a href='/'>Home</a></nav></body></html>", "no article text"),
    ],
)
def test_bad_input_gives_empty_article_with_reason(data, reason):
    article = newsclean.clean(data)
    assert article.text == ""
    assert article.reason and reason in article.reason


def test_clean_rejects_non_text_types_clearly():
    with pytest.raises(TypeError, match="str or bytes"):
        newsclean.clean(123)  # type: ignore[arg-type]


def test_bytes_are_decoded_from_the_meta_charset():
    html = ('<html><head><meta charset="windows-1252"></head><body><article><p>'
            + "Caf\xe9 owners in the town said trade was slow this winter. " * 5
            + "</p></article></body></html>").encode("cp1252")
    assert "Café owners" in newsclean.clean(html).text


def test_paywalled_page_says_so():
    html = ('<html><head><script type="application/ld+json">{"@type": "NewsArticle", '
            '"headline": "Secret plans", "isAccessibleForFree": false}</script></head><body>'
            '<article><div class="paywall-prompt">Subscribe to continue reading</div></article>'
            "</body></html>")
    article = newsclean.clean(html)
    assert article.paywalled
    assert article.text == ""
    assert article.reason and "paywall" in article.reason


def test_section_front_is_not_an_article():
    items = "".join(f'<li><a href="/n/{i}">Headline number {i} of the day</a></li>' for i in range(30))
    html = ('<html><head><script type="application/ld+json">{"@type": "CollectionPage", '
            f'"name": "World news"}}</script></head><body><main><ul>{items}</ul></main></body></html>')
    article = newsclean.clean(html)
    assert not article.is_article
    assert article.reason and "not an article" in article.reason


def test_live_blog_entries_in_order_with_times():
    updates = [
        {"@type": "BlogPosting", "headline": f"Update {i}", "datePublished": f"2024-05-0{i}T10:00:00Z",
         "articleBody": f"Entry number {i} says the rescue work continued through the night."}
        for i in (1, 2, 3)
    ]
    ld = json.dumps({"@type": "LiveBlogPosting", "headline": "Rescue live", "liveBlogUpdate": updates})
    html = (f'<html><head><script type="application/ld+json">{ld}</script></head><body>'
            "<article><p>Live coverage.</p></article></body></html>")
    article = newsclean.clean(html)
    entries = [b for b in article.blocks if b.kind == "entry"]
    assert [b.time for b in entries] == ["2024-05-01T10:00:00+00:00", "2024-05-02T10:00:00+00:00",
                                         "2024-05-03T10:00:00+00:00"]
    assert entries[0].text.startswith("Entry number 1")


def test_safeguard_backs_off_when_rules_would_empty_the_page():
    prose = "<p>" + "Residents gathered at the hall to hear the plans for the new bridge. " * 12 + "</p>"
    html = f'<html><body><div class="sidebar-widget-menu">{prose}</div></body></html>'
    article = newsclean.clean(html)
    assert "Residents gathered" in article.text


def test_safeguard_takes_no_doubtful_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    """A short story: too few words, so the safeguard reads the page again with only code
    removed, where the native extractor doubts it again; trafilatura, asked on the first
    reading, is not asked a second time, and the story is the first reading's."""
    from newsclean.page import body

    if not str(body.__file__).endswith(".py"):
        pytest.skip("compiled: body's calls to extract_blocks pass no replaced module attribute")
    asked: list[str] = []
    extract_blocks = body.extract_blocks

    def counted(html: str, *args: object, **kwargs: object) -> tuple[newsclean.Block, ...]:
        asked.append(html)
        return extract_blocks(html, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(body, "extract_blocks", counted)
    html = ('<html><body><article><h1>Bridge opens</h1><div class="share-bar">Share this</div>'
            "<p>The new bridge opened to traffic on Monday morning after two years of work.</p>"
            "</article></body></html>")
    article = newsclean.clean(html)
    assert len(asked) == 1 and "Share this" not in asked[0]
    assert article.text == "The new bridge opened to traffic on Monday morning after two years of work."
    assert (article.diagnostics.extractor, article.diagnostics.safeguard) == ("trafilatura", False)


def test_favor_is_validated():
    with pytest.raises(ValueError, match="favor"):
        newsclean.Options(favor="everything")  # type: ignore[arg-type]


def test_paragraph_cut_by_an_ad_slot_is_joined_again():
    html = ("<html><body><article>"
            "<p>" + "Councillors met on Monday to discuss the plans for the harbour. " * 3 + "</p>"
            "<p>The mayor told the meeting that the harbour budget would</p>"
            '<div class="ad-slot"><span>Advertisement</span></div>'
            "<p>rise by four percent next year, the first increase in a decade.</p>"
            "</article></body></html>")
    article = newsclean.clean(html)
    assert ("The mayor told the meeting that the harbour budget would rise by four percent next year"
            in article.text)
    assert "Advertisement" not in article.text


def test_favor_settings_trade_recall_for_precision():
    html = ("<html><body><article>"
            + "".join(f"<p>Paragraph {i} of the report on river pollution and its causes.</p>"
                      for i in range(8))
            + "</article></body></html>")
    for favor in ("precision", "balanced", "recall"):
        article = newsclean.clean(html, options=newsclean.Options(favor=favor))
        assert "Paragraph 0 of the report" in article.text, favor


LEAD = "The city will spend more on schools and less on roads, after a year of arguments between parties."


def _headed_page(header: str, after: str = "", site: str = "") -> str:
    return ("<html><head><title>Budget passes</title></head><body>"
            f"<header id='top'>{site}</header><main><header class='article-header'>"
            f"<h1>Budget passes</h1>{header}</header>{after}<article><div class='article-body'>"
            + "".join(f"<p>{PARA} Paragraph {i} adds detail on the spending plan.</p>" for i in range(5))
            + "</div></article></main></body></html>")


@pytest.mark.parametrize("lead", [
    f"<p class='article-lead'>{LEAD}</p>",
    f"<div class='news-teaser-text'><p>{LEAD}</p></div>",
    f"<h2 class='c-standfirst'>{LEAD}</h2>",
    f"<h2 class='article-subheadline'>{LEAD}</h2>",
    f"<p>{LEAD}</p>",  # a paragraph in the article's <header>
    f"<hgroup><h2>{LEAD}</h2></hgroup>",
    f"<div class='article__perex'>{LEAD}</div>",  # Czech and Slovak templates
    f"<div class='article-ingress'>{LEAD}</div>",  # Scandinavian templates
])
def test_standfirst_outside_the_extracted_container_is_put_back_first(lead):
    article = newsclean.clean(_headed_page(lead), url="https://example.com/budget")
    assert article.blocks[0].text == LEAD
    assert article.blocks[1].text.startswith("The committee published")
    assert article.description == LEAD  # the page declares none


@pytest.mark.parametrize("header, after, site", [
    ("", f"<div class='meta'><p>{LEAD}</p></div>", ""),  # not named as a lead, not in the header
    (f"<p class='lead'>{LEAD[:70]}...</p>", "", ""),  # cut off: another story's teaser
    ("", "".join(f"<div class='teaser'><p class='teaser-text'>{LEAD} {i}</p></div>" for i in range(3)), ""),
    (f"<div class='intro'><h2>Budget passes</h2><p>{LEAD}</p></div>", "", ""),  # a header block
    ("<p class='market-summary'>S&P 500 2,111.72 -14.43 (-0.68%) Dow 30 18,037.10 -105.32 "
     "(-0.58%) Nasdaq 5,153.58 -35.56</p>", "", ""),  # figures, not prose
    (f"<p class='entry-meta'>By Jo Roe on 3 March 2021. {LEAD}</p>", "", ""),  # a byline
    ("", "", f"<hgroup><h1>Daily Example</h1><h2>{LEAD}</h2></hgroup>"),  # the site's tagline
])
def test_what_is_not_a_standfirst_stays_out(header, after, site):
    article = newsclean.clean(_headed_page(header, after, site), url="https://example.com/budget")
    assert article.blocks[0].text.startswith("The committee published")
    assert article.description is None


def test_standfirst_that_repeats_the_title_stays_out():
    title = "Budget passes after a long night of votes in the council chamber on Tuesday"
    html = _headed_page("<h2 class='entry-subtitle'>TITLE</h2>").replace("Budget passes", title)
    html = html.replace("TITLE", title)
    article = newsclean.clean(html, url="https://example.com/budget")
    assert article.title == title
    assert article.blocks[0].text.startswith("The committee published")


def test_standfirst_in_the_headline_header_outside_article_and_main():
    html = (f"<html><body><div id='app'><header><h1>Budget passes</h1><p>{LEAD}</p></header>"
            "<div class='article-body'>"
            + "".join(f"<p>{PARA} Paragraph {i} adds detail on the spending plan.</p>" for i in range(5))
            + "</div></div></body></html>")
    article = newsclean.clean(html, url="https://example.com/budget")
    assert article.blocks[0].text == LEAD


def _independent_page() -> str:
    slides = "".join(f"<li><span>{i}/50 Other story {i}</span>"
                     f"<p>Caption of another business story number {i}.</p></li>" for i in range(1, 13))
    return ("<html><body><article><h1>Seven secrets of hotel owners</h1>"
            f"<p>{PARA * 6}</p><h3>1. Take the blankets off the bed</h3><p>Blankets. {PARA * 6}</p>"
            '<div class="dnd-widget-wrapper context-full type-gallery">'
            '<div class="container grid-mod-gallery">'
            f'<h2 class="gallery-title">Business news in pictures</h2><ul>{slides}</ul></div></div>'
            f"<h3>2. Mini bars lose money</h3><p>Mini bars. {PARA * 6}</p>"
            "<p>Reuse content</p></article></body></html>")


def test_independent_gallery_atom_and_reuse_link_are_furniture_on_its_pages():
    article = newsclean.clean(_independent_page(), url="https://www.independent.co.uk/news/business/x.html")
    assert "Business news in pictures" not in article.text and "Other story" not in article.text
    assert "Reuse content" not in article.text
    assert "2. Mini bars lose money" in article.text and article.text.count(PARA.strip()) == 18
    assert "Blankets. " in article.text and "Mini bars. " in article.text
    assert {r.rule for r in article.removed} >= {"independent.node.gallery", "independent.line.reuse"}


def test_independent_rules_stay_on_independent_pages():
    article = newsclean.clean(_independent_page(), url="https://www.example.com/news/x.html")
    assert not any(r.rule.startswith("independent.") for r in article.removed)
