"""Publication dates: declared clues, the element and text searches, the decision."""

from __future__ import annotations

import random
import re

import pytest
from selectolax.lexbor import LexborHTMLParser

import newsclean
from newsclean.page import dates
from newsclean.page.dates import (
    DateClues,
    element_date,
    publication_date,
    search_date,
    searchable,
    text_date,
)
from newsclean.page.metadata import read_metadata


def _page(head: str = "", body: str = "<p>Text</p>") -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


def _ld(published: str, kind: str = "NewsArticle") -> str:
    return ('<script type="application/ld+json">'
            f'{{"@type": "{kind}", "datePublished": "{published}"}}</script>')


def date_clues(tree: LexborHTMLParser, url: str | None = None) -> DateClues:
    """The clues as the pipeline gathers them: JSON-LD dates from the metadata stage."""
    return dates.date_clues(tree, url, read_metadata(tree, url).jsonld_published)


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


def test_json_ld_dates_are_read_at_any_depth_in_document_order():
    nested = ('<script type="application/ld+json">{"@type": "WebPage", "datePublished": "2020-01-02",'
              ' "hasPart": [{"@type": "Clip", "datePublished": "2020-01-01"}],'
              ' "subjectOf": {"datePublished": "2019-12-31"}}</script>')
    assert date_clues(LexborHTMLParser(_page(nested))).declared == ("2020-01-02", "2020-01-01", "2019-12-31")


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
    # A clue that does not parse as ISO 8601 might name another day: the searches read it.
    assert DateClues(("Sat, 19 Oct 2019 00:04:00 +0200",)).agreed("2019-10-18T22:04:00+00:00") is None
    assert DateClues().agreed() is None


# --- the element search -------------------------------------------------------------------


def test_element_date_reads_the_first_dated_element_named_as_a_date_or_byline():
    tree = LexborHTMLParser(_page(body=(
        '<p>A story from 1 May 2020 in the text.</p>'
        '<div class="entry-meta"><span class="byline">By Jo</span> 3 March 2021</div>'
        '<ul class="related"><li class="date">4 April 2019</li></ul>')))
    assert element_date(tree) == "2021-03-03"


def test_element_date_reads_only_a_dateline_not_a_whole_container_and_never_raises():
    story = "Words about the storm. " * 20
    tree = LexborHTMLParser(_page(body=f'<div class="article-info"><p>{story} 3 March 2021</p></div>'))
    assert element_date(tree) is None
    assert element_date(LexborHTMLParser("")) is None
    assert element_date(LexborHTMLParser("<<<>>>")) is None


def test_the_header_date_is_the_first_date_meta_tag_read_as_htmldate_reads_the_head():
    head = ('<meta name="description" content="2019">'
            '<meta name="og:url" content="https://example.com/2018/01/01/x">'
            '<meta property="article:modified_time" content="2022-01-01">'
            '<meta itemprop="datePublished" content="2023 Jan 7">'
            '<meta name="date" content="2020-01-01">')
    assert date_clues(LexborHTMLParser(_page(head))).header == "2023-01-07"
    slashed = _page('<meta name="pubdate" content="2019/1/22">')
    assert date_clues(LexborHTMLParser(slashed)).header == "2019-01-22"
    assert date_clues(LexborHTMLParser(_page('<meta name="date" content="soon">'))).header is None


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


@pytest.mark.parametrize(("text", "day"), [
    ("Posted on 3 March 2021 by the editors", "2021-03-03"),
    ("March 3rd, 2021 | 4 min read", "2021-03-03"),
    ("Veröffentlicht am 3. März 2021", "2021-03-03"),
    ("Publié le 3 mars 2021 à 10h", "2021-03-03"),
    ("Publicado el 3 de marzo de 2021", "2021-03-03"),
    ("Pubblicato il 3 marzo 2021", "2021-03-03"),
    ("Publicado em 3 de março de 2021", "2021-03-03"),
    ("Gepubliceerd op 3 maart 2021", "2021-03-03"),
    ("Stand: 03.03.2021, 10:15 Uhr", "2021-03-03"),
    ("Posted 2021-03-03T10:15", "2021-03-03"),
    ("3/31/2021 and 31/3/2021", "2021-03-31"),
])
def test_text_date_reads_numeric_and_written_dates_in_european_languages(text: str, day: str):
    assert text_date(text) == day


def test_text_date_refuses_what_is_no_date():
    assert text_date("Version 2.13.2021; 3 000 readers in 2021; 31 February 2021; 12 mars") is None
    assert text_date("3 March 2099") is None  # the future
    assert text_date("") is None


def test_search_date_reads_declared_values_that_are_not_iso_first():
    html = _page(body="<p>Another day: 5 May 2020.</p>")
    assert search_date(html, None, ["Thu, 09/25/2025 - 11:38"]) == "2025-09-25"
    assert search_date(html, None, ["Jun 12, 2025"]) == "2025-06-12"
    assert search_date(html, None, ["soon"]) == "2020-05-05"


def test_the_date_stage_never_loads_dateparser_nor_htmldate():
    import subprocess
    import sys

    story = "<p>" + "A storm hit the coast on Monday night, cutting power. " * 12 + "</p>"
    code = f"""
import sys, newsclean
story = {story!r}
dated = '<html><head><meta name="date" content="2021-03-03"></head><body><article><h1>T</h1>' + story
assert newsclean.clean(dated).published == "2021-03-03"
assert "htmldate" not in sys.modules, "htmldate was imported"
undated = '<html><body><article><h1>T</h1><p>Publié le 3 mars 2021</p>' + story
assert newsclean.clean(undated).published == "2021-03-03"
assert "dateparser" not in sys.modules, "dateparser was imported"
assert "htmldate" not in sys.modules, "htmldate was imported"
assert newsclean.clean(dated.replace("<h1>", '<h1><time datetime="2021-03-04">4 March</time>')).published
assert "htmldate" not in sys.modules, "htmldate was imported when the clues disagree"
"""
    subprocess.run([sys.executable, "-c", code], check=True)


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
    raise AssertionError("a search ran although the declared dates settle the date")


def test_agreeing_declared_dates_are_trusted_without_a_search(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(dates, "element_date", _must_not_run)
    monkeypatch.setattr(dates, "search_date", _must_not_run)
    clues = DateClues(("2018-06-12T23:00:00.000Z",))
    # No URL here; the page's own declaration stands.
    html = _page('<meta property="article:published_time" content="2018-06-12T23:00:00.000Z">')
    assert publication_date("2018-06-12T23:00:00+00:00", clues, LexborHTMLParser(html),
                            html) == "2018-06-12T23:00:00+00:00"


def test_the_first_date_meta_tag_wins_over_a_json_ld_date_that_names_another_day():
    # JSON-LD says the 4th (UTC), a second date tag and the visible time say the 3rd.
    head = (_ld("2022-05-04T00:44:52Z")
            + '<meta name="cXenseParse:recs:publishtime" content="2022-05-03T21:44:52Z">')
    html = _page(head)
    clues = date_clues(LexborHTMLParser(html))
    assert clues.agreed("2022-05-04T00:44:52+00:00") is None
    assert publication_date("2022-05-04T00:44:52+00:00", clues, LexborHTMLParser(html),
                            html) == "2022-05-03T21:44:52+00:00"


def test_a_url_day_that_differs_wins():
    html = _page('<meta property="article:published_time" content="2019-01-01T23:11:59+00:00">')
    url = "https://example.wordpress.com/2019/01/02/post/"
    clues = date_clues(LexborHTMLParser(html), url)
    found = publication_date("2019-01-01T23:11:59+00:00", clues, LexborHTMLParser(html), html, url)
    assert found == "2019-01-02"


def test_a_time_element_alone_is_a_declared_date(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(dates, "element_date", _must_not_run)
    html = _page(body='<p class="byline">By Jo</p><time datetime="2020-05-05T10:00+02:00">5 May</time>')
    clues = date_clues(LexborHTMLParser(html))
    assert publication_date(None, clues, LexborHTMLParser(html), html) == "2020-05-05T10:00:00+02:00"


def test_without_declared_dates_the_element_search_then_the_text_search_run():
    dated = _page(body='<p class="byline">By Jo, 5 May 2020</p><p>Article words only.</p>')
    assert publication_date(None, DateClues(), LexborHTMLParser(dated), dated) == "2020-05-05"
    with_time = _page(body='<p class="byline">By Jo</p><time datetime="2020-05-05">5 May</time>')
    assert publication_date(None, DateClues(), LexborHTMLParser(with_time), with_time) == "2020-05-05"
    pruned = _page(body="<p>Article words only.</p>")
    raw = _page(body='<p>Article words only.</p><div class="widget">Updated 6 June 2020 by Jo</div>')
    assert publication_date(None, DateClues(), LexborHTMLParser(pruned), raw) == "2020-06-06"
    assert publication_date(None, DateClues(), LexborHTMLParser(pruned), pruned) is None
    assert publication_date(None, DateClues(), None, pruned) is None


def test_clean_reports_the_declared_date_and_never_raises_on_date_junk():
    body = "<article><p>" + "Words about the storm that hit the coast. " * 20 + "</p></article>"
    head = _ld("2021-03-03T10:00:00+01:00") + '<meta name="date" content="2021-03-03">'
    article = newsclean.clean(_page(head, body), url="https://example.com/news/storm")
    assert article.published == "2021-03-03T10:00:00+01:00"
    junk = newsclean.clean(_page('<meta name="date" content="not a date"><time datetime="32/13/20">x</time>',
                                 body))
    assert junk.text and junk.published is None


def _markup_date_by_search(markup: str) -> str | None:
    """The markup dates as a search of the whole markup finds them: every dated path first,
    then every day-month-year, each in order, the first valid one."""
    year = r"(?:199\d|20[0-3]\d)"
    for pattern, (y, m, d) in (
        (re.compile(rf"(?<!\d)({year})[/_-]([01]?\d)[/_-]([0-3]?\d)(?!\d)"), (1, 2, 3)),
        (re.compile(rf"(?<!\d)([0-3]?\d)-([01]?\d)-({year})(?!\d)"), (3, 2, 1)),
    ):
        for match in pattern.finditer(markup):
            if found := dates.iso_date(f"{int(match[y]):04d}-{int(match[m]):02d}-{int(match[d]):02d}"):
                return found
    return None


def test_markup_dates_looked_for_at_years_only_are_those_a_whole_search_finds():
    rng = random.Random(7)
    pieces = ("2021-12-05", "2019/13/40", "1999_2_3", "05-12-2020", "31-02-2021", "1-1-2020", "2035", "20",
              "12", "3", "0", "-", "/", "_", " ", "a")
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 8))) for _ in range(20_000)]
    texts += ["/2021/13/40/a 12-05-2020", "1-1-2020-1-2021", "2021/12/2019/01/05", "x12019-01-05 3-4-20211"]
    assert sum(_markup_date_by_search(t) is not None for t in texts) > 1000  # the sample holds dates
    for text in texts:
        years = list(dates._A_YEAR.finditer(text))
        by_search = re.finditer(r"(?<!\d)(?:199\d|20[0-3]\d)(?!\d)", text)
        assert [y.span() for y in years] == [m.span() for m in by_search]
        assert dates._markup_date(text, years) == _markup_date_by_search(text), text
