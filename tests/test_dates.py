"""Publication dates: declared clues, htmldate's fast and extensive searches, the decision."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser

import newsclean
from newsclean.page import dates
from newsclean.page.dates import DateClues, date_clues, page_date, publication_date, search_date, searchable


def _page(head: str = "", body: str = "<p>Text</p>") -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


def _ld(published: str, kind: str = "NewsArticle") -> str:
    return ('<script type="application/ld+json">'
            f'{{"@type": "{kind}", "datePublished": "{published}"}}</script>')


# --- clues --------------------------------------------------------------------------------


def test_clues_gather_json_ld_date_meta_tags_the_first_time_element_and_the_url():
    html = _page(
        _ld("2022-05-04T00:44:52Z") + _ld("2022-05-03", kind="WebPage")
        + '<meta name="cXenseParse:recs:publishtime" content="2022-05-03T21:44:52Z">'
        + '<meta property="og:title" content="Not a date 2021-01-01">',
        '<time datetime="2022-05-03T21:44">Yesterday</time><time datetime="2020-01-01">old</time>',
    )
    clues = date_clues(LexborHTMLParser(html), "https://example.com/2022/05/03/story")
    assert clues.declared == ("2022-05-04T00:44:52Z", "2022-05-03", "2022-05-03T21:44:52Z",
                              "2022-05-03T21:44")
    assert clues.url_day == "2022-05-03"


def test_clues_of_a_page_without_dates_are_empty_and_bad_markup_does_not_raise():
    assert date_clues(LexborHTMLParser(_page()), None) == DateClues()
    assert date_clues(LexborHTMLParser("<<<>>>"), "not a url") == DateClues()
    broken = _page('<script type="application/ld+json">{"datePublished": </script>')
    assert date_clues(LexborHTMLParser(broken)) == DateClues()


def test_url_day_reads_the_path_and_refuses_impossible_dates():
    assert dates.url_day("https://example.com/news/2023/11/8/mayor") == "2023-11-08"
    assert dates.url_day("https://example.com/a_2019_01_31_b.html") == "2019-01-31"
    assert dates.url_day("https://example.com/2019/02/30/x") is None
    assert dates.url_day("https://example.com/id-20190131") is None
    assert dates.url_day(None) is None


def test_clues_agree_only_when_every_declared_date_names_the_same_day():
    same = DateClues(("2021-03-03T23:30:00-05:00", "2021-03-03"), url_day="2021-03-03")
    assert same.agreed("2021-03-03T23:30:00-05:00") == "2021-03-03T23:30:00-05:00"
    # Without the metadata reader's choice, the first declared date (normalised) stands.
    assert same.agreed() == "2021-03-03T23:30:00-05:00"
    assert DateClues((), url_day="2021-03-03").agreed() == "2021-03-03"
    # A second date tag naming another day, or the URL naming another day: not unambiguous.
    assert DateClues(("2021-03-03", "2021-03-04")).agreed("2021-03-03") is None
    assert DateClues(("2021-03-03",), url_day="2021-03-02").agreed("2021-03-03") is None
    assert DateClues(("2021-03-03",)).agreed("2021-03-04") is None
    # A clue that does not parse as ISO 8601 might name another day: htmldate reads it.
    assert DateClues(("Sat, 19 Oct 2019 00:04:00 +0200",)).agreed("2019-10-18T22:04:00+00:00") is None
    assert DateClues().agreed() is None


# --- htmldate -----------------------------------------------------------------------------


def test_page_date_reads_declared_dates_and_never_raises():
    html = _page('<meta property="article:published_time" content="2021-03-03T10:00:00Z">')
    assert page_date(html) == "2021-03-03"
    assert page_date("<<<>>>") is None
    assert page_date("") is None


def test_page_date_takes_the_url_date_first():
    html = _page('<meta property="article:published_time" content="2021-03-03T10:00:00Z">')
    assert page_date(html, "https://example.com/2021/03/01/story") == "2021-03-01"


def test_searchable_drops_code_styles_navigation_and_forms_but_keeps_json_and_text():
    html = _page(
        '<script src="/app.js?v=2019-01-01"></script><style>.x{}</style>'
        '<script type="application/json">{"createdAt": "2020-02-02T10:00:00Z"}</script>',
        '<nav><a href="/archive/2018">2018</a></nav><form><select><option>2017</option></select>'
        '</form><p class="date">Posted 3 March 2021</p><svg><text>2016</text></svg>',
    )
    out = searchable(html)
    for gone in ("2019-01-01", "2018", "2017", "2016", "<style", "<nav"):
        assert gone not in out
    assert '{"createdAt": "2020-02-02T10:00:00Z"}' in out
    assert "Posted 3 March 2021" in out


def test_search_date_finds_a_date_in_free_text_not_in_asset_version_stamps():
    html = _page('<link rel="stylesheet" href="/a.css"><script src="/app.js?v=2019-01-15"></script>',
                 "<p>Posted on 3 March 2021 by the editors.</p>")
    assert search_date(html) == "2021-03-03"
    assert search_date("<<<>>>") is None
    assert search_date("") is None


_FILLER = "<p>" + "Words about the harbour and its ferries. " * 60 + "</p>"  # 2.5k characters
_DATE_LINE = "<p>Posted on 3 March 2021 by the editors.</p>"


def test_search_date_reads_the_top_of_a_page_without_headline():
    top = f"<html><body>{_DATE_LINE}{_FILLER * 50}</body></html>"
    bottom = f"<html><body>{_FILLER * 50}{_DATE_LINE}</body></html>"
    assert len(searchable(bottom)) > dates._WITHOUT_HEADLINE
    assert search_date(top) == "2021-03-03"
    assert search_date(bottom) is None  # past the searched part: comments, teasers, footers


def test_search_date_reads_around_the_headline():
    h1 = "<h1>Ferry terminal opens</h1>"
    by_headline = f"<html><body>{_FILLER * 20}{h1}{_DATE_LINE}{_FILLER * 20}</body></html>"
    far_below = f"<html><body>{_FILLER * 20}{h1}{_FILLER * 10}{_DATE_LINE}</body></html>"
    far_above = f"<html><body>{_DATE_LINE}{_FILLER * 8}{h1}{_FILLER}</body></html>"
    assert search_date(by_headline) == "2021-03-03"  # 50k characters in, beside the <h1>
    assert search_date(far_below) is None
    assert search_date(far_above) is None


def test_near_headline_keeps_the_head_and_cuts_the_body_around_the_first_h1():
    head = "<html><head><meta name='x' content='y'></head>"
    page = f"{head}<body>{_FILLER * 20}<h1>H</h1>{_FILLER * 20}</body></html>"
    part = dates.near_headline(page)
    assert part.startswith(head)
    assert "<h1>H</h1>" in part
    assert len(part) < dates._BEFORE_HEADLINE + dates._AFTER_HEADLINE + 100
    assert dates.near_headline("<p>no body tag</p>") == "<p>no body tag</p>"


def test_search_date_reads_a_date_kept_in_a_json_data_island():
    html = _page('<script type="application/json">{"publishedDate": "2016-11-04T20:37:27Z"}</script>',
                 "<p>No date in the text at all, only words.</p>")
    assert search_date(html) == "2016-11-04"


# --- the decision -------------------------------------------------------------------------


def _must_not_run(*args: object, **kwargs: object) -> str:
    raise AssertionError("htmldate was asked although the declared dates agree")


def test_agreeing_declared_dates_are_trusted_without_htmldate(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(dates, "page_date", _must_not_run)
    monkeypatch.setattr(dates, "search_date", _must_not_run)
    clues = DateClues(("2018-06-12T23:00:00.000Z",))
    # htmldate would read the URL's day here; the page's own declaration stands.
    html = _page('<meta property="article:published_time" content="2018-06-12T23:00:00.000Z">')
    assert publication_date("2018-06-12T23:00:00+00:00", clues, html, html) == "2018-06-12T23:00:00+00:00"


def test_disagreeing_declared_dates_are_weighed_by_htmldate():
    # JSON-LD says the 4th (UTC), a second date tag and the visible time say the 3rd.
    head = (_ld("2022-05-04T00:44:52Z")
            + '<meta name="cXenseParse:recs:publishtime" content="2022-05-03T21:44:52Z">')
    html = _page(head)
    clues = date_clues(LexborHTMLParser(html))
    assert clues.agreed("2022-05-04T00:44:52+00:00") is None
    assert publication_date("2022-05-04T00:44:52+00:00", clues, html, html) == "2022-05-03"


def test_a_url_day_that_differs_lets_htmldate_decide():
    html = _page('<meta property="article:published_time" content="2019-01-01T23:11:59+00:00">')
    url = "https://example.wordpress.com/2019/01/02/post/"
    clues = date_clues(LexborHTMLParser(html), url)
    assert publication_date("2019-01-01T23:11:59+00:00", clues, html, html, url) == "2019-01-02"


def test_a_time_element_alone_is_a_declared_date(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(dates, "page_date", _must_not_run)
    html = _page(body='<p class="byline">By Jo</p><time datetime="2020-05-05T10:00+02:00">5 May</time>')
    clues = date_clues(LexborHTMLParser(html))
    assert publication_date(None, clues, html, html) == "2020-05-05T10:00:00+02:00"


def test_without_declared_dates_the_fast_search_then_the_extensive_search_run():
    with_time = _page(body='<p class="byline">By Jo</p><time datetime="2020-05-05">5 May</time>')
    assert publication_date(None, DateClues(), with_time, with_time) == "2020-05-05"
    pruned = _page(body="<p>Article words only.</p>")
    raw = _page(body='<p>Article words only.</p><div class="widget">Updated 6 June 2020 by Jo</div>')
    assert publication_date(None, DateClues(), pruned, raw) == "2020-06-06"
    assert publication_date(None, DateClues(), pruned, pruned) is None


def test_clean_reports_the_declared_date_and_never_raises_on_date_junk():
    body = "<article><p>" + "Words about the storm that hit the coast. " * 20 + "</p></article>"
    head = _ld("2021-03-03T10:00:00+01:00") + '<meta name="date" content="2021-03-03">'
    article = newsclean.clean(_page(head, body), url="https://example.com/news/storm")
    assert article.published == "2021-03-03T10:00:00+01:00"
    junk = newsclean.clean(_page('<meta name="date" content="not a date"><time datetime="32/13/20">x</time>',
                                 body))
    assert junk.text and junk.published is None
