"""Publication dates: what the page declares, weighed by newsclean's own rules when in doubt.

Most news pages declare their date in one or several places (JSON-LD ``datePublished``,
date ``<meta>`` tags, a ``<time>`` element, the URL). When every one of them names the
same day, that day is the answer. When they disagree, or are missing, the clues are weighed
in the order htmldate's fast search uses, on the trees already parsed (htmldate re-parsed
the serialised page with lxml: two to three milliseconds on the pages that needed it): the
URL's day, then the first date ``<meta>`` tag (:attr:`DateClues.header`), then the
metadata reader's date (JSON-LD first), then, on a page that declares nothing, the first
date in an element named as a date, byline or meta line (:func:`element_date`), then the
first date written near the headline (:func:`search_date`: numeric dates, and day, month
name and year in the major European languages). Neither htmldate nor dateparser is called.

>>> from selectolax.lexbor import LexborHTMLParser
>>> page = ('<html><head><meta property="article:published_time" content="2021-03-03T10:00:00Z">'
...         '</head><body><p>Text</p></body></html>')
>>> clues = date_clues(LexborHTMLParser(page), "https://example.com/2021/03/03/story")
>>> clues.agreed("2021-03-03T10:00:00+00:00")
'2021-03-03T10:00:00+00:00'
>>> publication_date("2021-03-03T10:00:00+00:00", clues, LexborHTMLParser(page), page)
'2021-03-03T10:00:00+00:00'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

from selectolax.lexbor import LexborHTMLParser

__all__ = [
    "DATE_META", "DateClues", "date_clues", "element_date", "iso_date", "near_headline", "publication_date",
    "search_date", "searchable", "text_date", "url_day",
]

# A date in a URL path, as htmldate reads it: /2021/03/03/, /2021-3-3-, _2021_03_03.
_URL_DATE = re.compile(r"\D((?:199\d|20[0-3]\d))[/_-]([01]?\d)[/_-]([0-3]?\d)(?:\D|$)")

DATE_META = frozenset({
    "analyticsattributes.articledate", "article.created", "article.published", "article:post_date",
    "article:publicationdate", "article:published", "article:published_date", "article:published_time",
    "article_date_original", "bt:pubdate", "citation_date", "citation_publication_date",
    "content_create_date", "created", "cxenseparse:recs:publishtime", "date", "date_created",
    "date_published", "datecreated", "dateposted", "datepublished", "dc.created", "dc.date",
    "dc.date.created", "dc.date.issued", "dc.date.publication", "dc:created", "dc:date",
    "dcsext.articlefirstpublished", "dcterms.created", "dcterms.date", "dcterms.issued", "displaydate",
    "doc_date", "field-name-post-date", "gentime", "mediator_published_time", "meta",
    "og:article:published", "og:article:published_time", "og:datepublished", "og:pubdate",
    "og:publish_date", "og:published_time", "og:question:published_time", "og:regdate",
    "originalpublicationdate", "parsely-pub-date", "pdate", "ptime", "pubdate", "publication_date",
    "publish-date", "publish_date", "publish_time", "publishdate", "published-date", "published_date",
    "published_time", "publisheddate", "rbpubdate", "release_date", "rnews:datepublished",
    "sailthru.date", "shareaholic:article_published_time", "timestamp", "twt-published-at",
    "video:release_date", "vr:published_time",
})
"""The ``<meta>`` names and properties that declare a publication date: htmldate's list
(``htmldate.core.DATE_ATTRIBUTES``, 1.11), kept here so that htmldate need not be imported."""

# ``itemprop`` values of a ``<meta>`` that name the original date (htmldate's
# ``ITEMPROP_ATTRS_ORIGINAL``): read for the header date only when no name or property is set.
_ORIGINAL_ITEMPROP = frozenset({"datecreated", "datepublished"})


def iso_date(value: str | None, now: datetime | None = None) -> str | None:
    """An ISO 8601 date or date-time, or None if unparseable or in the future.

    >>> iso_date("2024-03-01T09:30:00Z"), iso_date("2024-03-01"), iso_date("3099-01-01")
    ('2024-03-01T09:30:00+00:00', '2024-03-01', None)
    """
    if not value or not isinstance(value, str):
        return None
    value = value.strip()
    match = re.match(
        r"^(\d{4})-?(\d{2})-?(\d{2})(?:[T ](\d{2}):?(\d{2})(?::?(\d{2}))?(?:\.\d+)?"
        r"\s*(Z|[+-]\d{2}:?\d{2})?)?",
        value,
    )
    if not match:
        return None
    year, month, day, hour, minute, second, tz = match.groups()
    try:
        moment = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0),
                          int(second or 0))
    except ValueError:
        return None
    offset = None
    if tz:
        if tz == "Z":
            offset = UTC
        else:
            sign = 1 if tz[0] == "+" else -1
            digits = tz[1:].replace(":", "")
            try:
                offset = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
            except ValueError:
                offset = None
    now = now or datetime.now(UTC)
    if moment.replace(tzinfo=offset or UTC) > now + timedelta(days=1) or moment.year < 1900:
        return None
    if hour is None:
        return moment.date().isoformat()
    return moment.replace(tzinfo=offset).isoformat()



@dataclass(frozen=True)
class DateClues:
    """Every publication date the page declares, as written, and the URL's day.

    ``declared``: JSON-LD ``datePublished`` values (every item, not only the article),
    the ``<meta>`` tags htmldate knows as publication dates, and the first
    ``<time datetime>`` element. ``header``: the first of those ``<meta>`` tags that reads as
    a date, as htmldate reads the head (a tag's ``name``, else its ``property``, else its
    ``itemprop``), in ISO 8601.
    """

    declared: tuple[str, ...] = ()
    url_day: str | None = None
    header: str | None = None

    def agreed(self, published: str | None = None) -> str | None:
        """The date every clue, and ``published`` (the metadata reader's choice), puts on
        one day: ``published`` if given, else the first declared date, else the URL's
        day. None when they name different days or there is none.

        A clue that does not parse counts as a disagreement (htmldate may read it).

        >>> DateClues(("2021-03-03T22:00:00-05:00", "2021-03-03")).agreed("2021-03-03T22:00:00-05:00")
        '2021-03-03T22:00:00-05:00'
        >>> DateClues(("2021-03-03T09:00Z",), url_day="2021-03-03").agreed()
        '2021-03-03T09:00:00+00:00'
        >>> DateClues(("2021-03-03", "2021-03-04")).agreed("2021-03-03") is None
        True
        >>> DateClues(("Wed, 03 Mar 2021 10:00:00 GMT",)).agreed("2021-03-03") is None
        True
        >>> DateClues((), url_day="2021-03-02").agreed("2021-03-03"), DateClues().agreed()
        (None, None)
        """
        found = [published] if published else []
        for value in self.declared:
            parsed = iso_date(value)
            if parsed is None:
                return None
            found.append(parsed)
        days = {value[:10] for value in found}
        if self.url_day is not None:
            days.add(self.url_day)
        if len(days) != 1:
            return None
        return found[0] if found else self.url_day


def date_clues(tree: LexborHTMLParser, url: str | None = None, jsonld: Sequence[str] = (),
               meta_tags: Sequence[Mapping[str, str | None]] | None = None) -> DateClues:
    """The dates ``tree`` declares; read it before pruning changes it. Never raises.

    ``jsonld``: the page's JSON-LD ``datePublished`` values, already parsed by the metadata
    stage (:attr:`newsclean.page.metadata.Metadata.jsonld_published`); ``meta_tags``: the
    attributes of its ``<meta content>`` tags, when that stage read them too.

    >>> page = LexborHTMLParser('<head>'
    ...     '<meta name="dc.date" content="2020-05-01"><meta name="description" content="2019">'
    ...     '</head><body><time datetime="2020-05-01T10:00+02:00">1 May</time>'
    ...     '<time datetime="2020-04-01">older</time></body>')
    >>> clues = date_clues(page, "https://example.com/news/2020/5/1/story.html", ["2020-05-01T08:00:00Z"])
    >>> clues.declared, clues.url_day, clues.header
    (('2020-05-01T08:00:00Z', '2020-05-01', '2020-05-01T10:00+02:00'), '2020-05-01', '2020-05-01')
    """
    declared = [v.strip() for v in jsonld]
    header = None
    for attrs in (meta_tags if meta_tags is not None else [n.attributes for n in tree.css("meta[content]")]):
        key = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").strip()
        content = (attrs.get("content") or "").strip()
        if content and key.lower() in DATE_META:
            declared.append(content)
        if header is None and content:
            header = _header_day(attrs, content)
    first_time = tree.css_first("time[datetime]")
    moment = (first_time.attributes.get("datetime") or "").strip() if first_time is not None else ""
    if moment:
        declared.append(moment)
    return DateClues(tuple(declared), url_day(url), header)


def _header_day(attrs: Mapping[str, str | None], content: str) -> str | None:
    """The date a ``<meta>`` tag declares, read as htmldate reads the head: its ``name``, else its
    ``property``, else its ``itemprop`` says whether it is a publication date."""
    for attr in ("name", "property", "itemprop"):
        if attr in attrs:
            key = (attrs.get(attr) or "").strip().lower()
            if (key in _ORIGINAL_ITEMPROP) if attr == "itemprop" else (key in DATE_META):
                return iso_date(content) or _meta_day(content[:80])
            return None
    return None


def url_day(url: str | None) -> str | None:
    """The day a URL's path names, if any.

    >>> url_day("https://example.com/2019/1/31/story"), url_day("https://example.com/a-2019-13-01")
    ('2019-01-31', None)
    """
    match = _URL_DATE.search(url or "")
    if match is None:
        return None
    year, month, day = (int(g) for g in match.groups())
    return iso_date(f"{year:04d}-{month:02d}-{day:02d}")


# Code, styles and form controls hold version stamps, session expiries and year pickers,
# not the publication date; dropping them halves the extensive search's time. JSON data
# islands stay: some pages keep their only date there.
_NOT_SEARCHED = ("style", "svg", "noscript", "template", "iframe", "nav", "select", "form",
                 "button", "input")


def searchable(html: str) -> str:
    """``html`` without scripts (JSON kept), styles, navigation and forms.

    >>> out = searchable('<html><head><script>v="2019-01-01"</script>'
    ...     '<script type="application/json">{"d": "2020-02-02"}</script></head>'
    ...     '<body><nav>2018</nav><p>Posted 3 March 2021</p></body></html>')
    >>> "2019" in out, "2018" in out, '{"d": "2020-02-02"}' in out, "<p>Posted 3 March 2021</p>" in out
    (False, False, True, True)
    """
    tree = LexborHTMLParser(html)
    for script in tree.css("script"):
        if "json" not in (script.attributes.get("type") or "").lower():
            script.decompose()
    tree.strip_tags(list(_NOT_SEARCHED))
    return tree.html or ""


# The extensive search reads the searchable page's head and the part of its body around
# the first <h1> (the top of the body when there is none): a publication date sits by the
# headline, and the rest (comments, teasers, footers) costs time, not right answers.
# Measured on the trafilatura corpus's 142 pages that need the search, against the whole
# page: one more right day (39), 30% less time on them, slowest page 100 -> 50 ms.
_BEFORE_HEADLINE = 10_000
_AFTER_HEADLINE = 20_000
_WITHOUT_HEADLINE = 80_000


def near_headline(page: str) -> str:
    """The head of the serialised ``page`` and its body from :data:`_BEFORE_HEADLINE`
    characters before the first ``<h1>`` to :data:`_AFTER_HEADLINE` after it.

    >>> page = "<html><head><title>T</title></head><body>" + "x" * 30_000 + "<h1>H</h1>" + "y" * 30_000
    >>> part = near_headline(page)
    >>> part.startswith("<html><head><title>T</title></head>"), len(part) < 31_000, "<h1>H</h1>" in part
    (True, True, True)
    """
    body = page.find("<body")
    headline = page.find("<h1", body) if body >= 0 else -1
    if headline < 0:
        return page[:_WITHOUT_HEADLINE]
    start = max(body, headline - _BEFORE_HEADLINE)
    return page[:body] + page[start : headline + _AFTER_HEADLINE]


# Month names, full and abbreviated, in the languages whose pages the corpora hold most:
# English, German, French, Spanish, Italian, Portuguese, Dutch. A name counts only between
# a day and a year, so short ones that are also words ("mar", "set") do no harm.
_MONTH_NAMES = (
    "january jan januar janvier enero gennaio janeiro januari janv ene gen jänner",
    "february feb februar février fevrier febrero febbraio fevereiro februari févr fév fev",
    "march mar märz maerz mrz mars marzo março maart",
    "april apr avril abril aprile avr",
    "may mai mayo maggio maio mei",
    "june jun juni juin junio giugno junho",
    "july jul juli juillet julio luglio julho juil",
    "august aug août aout agosto augustus ago",
    "september sep sept septembre septiembre settembre setembro set",
    "october oct oktober octobre octubre ottobre outubro okt out",
    "november nov novembre noviembre novembro",
    "december dec dezember décembre decembre diciembre dicembre dezembro dez déc dic",
)
_MONTH = {name: month for month, names in enumerate(_MONTH_NAMES, 1) for name in names.split()}
_NAMES = "|".join(sorted(map(re.escape, _MONTH), key=len, reverse=True))
_YEAR = r"(?:199\d|20[0-3]\d)"
_WRITTEN_DATE = re.compile(
    rf"(?<![\d.])(?P<iy>{_YEAR})-(?P<im>[01]?\d)-(?P<id>[0-3]?\d)(?!\d)"             # 2021-03-03
    rf"|(?<![\d.])(?P<ed>[0-3]?\d)\.\s?(?P<em>[01]?\d)\.\s?(?P<ey>{_YEAR})(?!\d)"      # 3.3.2021
    rf"|(?<![\d/])(?P<sa>[0-3]?\d)/(?P<sb>[0-3]?\d)/(?P<sy>{_YEAR})(?!\d)"            # 3/31/2021, 31/3/2021
    rf"|(?<![\d.])(?P<dd>[0-3]?\d)(?:\.|st|nd|rd|th|er|º)?\s*(?:de\s+)?(?P<dm>{_NAMES})\.?,?\s*"
    rf"(?:de\s+)?(?P<dy>{_YEAR})(?!\d)"                                               # 3 March 2021
    rf"|\b(?P<mm>{_NAMES})\.?\s+(?P<md>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<my>{_YEAR})(?!\d)",  # March 3, 2021
    re.IGNORECASE,
)
# _YEAR not after a digit, the check made after its first digit: a pattern that starts with a
# digit, not a look-behind, is tried only where one stands (a search a third faster).
_YEAR_START = r"(?:1(?<!\d1)99\d|2(?<!\d2)0[0-3]\d)"
_A_YEAR = re.compile(rf"{_YEAR_START}(?!\d)")
# In markup (attributes, links, JSON) also a dated path, /2021/03/03/, and 03-03-2021: each
# matched where a year (an _A_YEAR match) starts, or in the six characters before one.
_YEAR_FIRST_PATH = re.compile(rf"({_YEAR_START})[/_-]([01]?\d)[/_-]([0-3]?\d)(?!\d)")
_YEAR_LAST_DASHED = re.compile(rf"(?<!\d)([0-3]?\d)-([01]?\d)-({_YEAR})(?!\d)")


def _written(match: re.Match[str]) -> str | None:
    g = match.groupdict()
    if g["iy"]:
        year, month, day = g["iy"], g["im"], g["id"]
    elif g["ey"]:
        year, month, day = g["ey"], g["em"], g["ed"]
    elif g["sy"]:  # month first, as in the US, unless the first number cannot be a month
        first, second = int(g["sa"]), int(g["sb"])
        year, (month, day) = g["sy"], ((second, first) if first > 12 else (first, second))
    elif g["dy"]:
        year, month, day = g["dy"], _MONTH[g["dm"].lower()], g["dd"]
    else:
        year, month, day = g["my"], _MONTH[g["mm"].lower()], g["md"]
    return iso_date(f"{int(year):04d}-{int(month):02d}-{int(day):02d}")


def text_date(text: str) -> str | None:
    """The first date written in ``text``: numeric (ISO, day.month.year, month/day/year), or a
    day, month name and year in English, German, French, Spanish, Italian, Portuguese or Dutch.
    Linear in the text; never raises.

    >>> text_date("Posted on 3 March 2021 by Jo"), text_date("Publicado el 5 de mayo de 2020")
    ('2021-03-03', '2020-05-05')
    >>> text_date("Stand: 24.12.2019, 10:00"), text_date("Updated Jan. 2, 2018"), text_date("31/12/2020")
    ('2019-12-24', '2018-01-02', '2020-12-31')
    >>> text_date("Version 2.13.2021 costs 3 000 in 2021") is None, text_date("31 February 2021") is None
    (True, True)
    """
    return _text_date(text, _A_YEAR.finditer(text))


def _text_date(text: str, years: Iterable[re.Match[str]]) -> str | None:
    """:func:`text_date`, given the ``_A_YEAR`` matches of ``text``."""
    for year in years:  # every date holds a year: look only around years
        for match in _WRITTEN_DATE.finditer(text, max(0, year.start() - 40), year.end() + 6):
            found = _written(match)
            if found is not None:
                return found
    return None


def _markup_date(markup: str, years: Sequence[re.Match[str]]) -> str | None:
    """The first valid date of a dated path (``/2021/03/03/``) in ``markup``, else of a
    ``03-03-2021``, given its ``_A_YEAR`` matches: what a search of the whole markup for each
    finds, as each match starts at a year or ends with one (a year is a run of four digits,
    and the day and month before it run no closer than six characters).

    >>> page = 'x="12-05-2020" href="/news/2021/13/40/a" src="/2019/03/04/b.jpg"'
    >>> _markup_date(page, list(_A_YEAR.finditer(page)))
    '2019-03-04'
    """
    for year in years:
        match = _YEAR_FIRST_PATH.match(markup, year.start())
        if match and (found := iso_date(f"{int(match[1]):04d}-{int(match[2]):02d}-{int(match[3]):02d}")):
            return found
    for year in years:  # the search ends after the year: the look-ahead reads the next character
        match = _YEAR_LAST_DASHED.search(markup, max(0, year.start() - 6), year.end() + 1)
        if match and (found := iso_date(f"{int(match[3]):04d}-{int(match[2]):02d}-{int(match[1]):02d}")):
            return found
    return None


_BODY = re.compile(r"<body", re.IGNORECASE)
_H1 = re.compile(r"<h1", re.IGNORECASE)
_ROUGH = 3  # the raw page's code and forms, which searchable() drops, may fill this much of a window


def _rough_cut(html: str) -> str:
    """:func:`near_headline` on the raw ``html`` (any case) with windows :data:`_ROUGH` times
    wider: what :func:`searchable` must clean, not the whole page (parsing and serialising
    a 200 KB page costs 2-3 ms).

    >>> page = "<HTML><BODY>" + "x" * 100_000 + "<H1>H</H1>" + "y" * 100_000
    >>> part = _rough_cut(page)
    >>> part.startswith("<HTML>"), "<H1>H</H1>" in part, len(part) < 100_000
    (True, True, True)
    """
    body = _BODY.search(html)
    headline = _H1.search(html, body.start()) if body is not None else None
    if body is None or headline is None:
        return html[: _ROUGH * _WITHOUT_HEADLINE]
    start = max(body.start(), headline.start() - _ROUGH * _BEFORE_HEADLINE)
    return html[: body.start()] + html[start : headline.start() + _ROUGH * _AFTER_HEADLINE]


def search_date(html: str, url: str | None = None, undeclared: Sequence[str] = ()) -> str | None:
    """The date written near the headline, read with newsclean's own patterns
    (:func:`text_date`): in the ``undeclared`` values (declared dates that do not parse as
    ISO 8601, "Jun 12, 2025"), else in the text of :func:`searchable` ``html``
    :func:`near_headline`, else in its markup (attributes, links, JSON). Only for pages
    where no declared date was found; never raises. ``url`` is unused: its day is a clue.

    >>> search_date("<html><body><p>Posted on 3 March 2021 by the editors.</p></body></html>")
    '2021-03-03'
    >>> search_date('<html><head><link rel="canonical" href="/news/29-10-2021"></head><body></body></html>')
    '2021-10-29'
    """
    for value in undeclared:
        if found := text_date(value[:200]):
            return found
    try:
        part = near_headline(searchable(_rough_cut(html)))
        body = LexborHTMLParser(part).body
    except Exception:  # odd markup: no date rather than an error
        return None
    found = text_date(body.text(separator=" ")) if body is not None else None
    if found:
        return found
    years = list(_A_YEAR.finditer(part))
    return _text_date(part, years) or _markup_date(part, years)


_YEAR_FIRST = re.compile(
    rf"(?<!\d)(?P<y>{_YEAR})[/.\s]+(?P<m>[01]?\d|{_NAMES})\.?[/.\s]+(?P<d>[0-3]?\d)(?!\d)", re.IGNORECASE)


def _meta_day(value: str) -> str | None:
    """The day a ``<meta>`` tag's value names when it is not ISO 8601: as :func:`text_date` reads
    it, or year first with slashes, dots or spaces.

    >>> _meta_day("2019/1/22"), _meta_day("2023 Jan 7"), _meta_day("Wed, 03 Mar 2021 10:00:00 GMT")
    ('2019-01-22', '2023-01-07', '2021-03-03')
    """
    found = text_date(value)
    if found is None and (match := _YEAR_FIRST.search(value)):
        month = match["m"]
        number = int(month) if month.isdigit() else _MONTH[month.lower()]
        found = iso_date(f"{int(match['y']):04d}-{number:02d}-{int(match['d']):02d}")
    return found


# The elements htmldate's fast search reads for a written date (``htmldate.core.date_candidates``):
# among these tags, those whose class, id or itemprop names a date, a time, a publication, a
# byline or a meta line, and every <footer> and <small>. One selector, matched in C.
_DATE_TAGS = frozenset({"div", "h2", "h3", "h4", "li", "p", "span", "time", "ul", "footer", "small"})
_DATE_ELEMENTS = ", ".join((
    "footer", "small", "[class*=date i]", "[id*=date i]", "[itemprop*=date i]", "[class*=datum i]",
    "[id*=datum i]", "[class*=time]", "[id*=time]", "[class*=publish]", "[id*=publish]", "[class*=meta i]",
    "[id*=meta i]", "[class*=byline]", "[class*=subline]", "[class*=posted]", "[class*=submitted]",
    "[class*=publication]", "[class*=author]", "[class*=autor]", "[class*=fecha]", "[class*=parution]",
    "[class*=info]",
))
_MAX_DATE_ELEMENTS = 1000  # more is a listing or a log, not a page with a dateline (htmldate's bound)
_ELEMENT_CHARS = 60  # a dateline's date comes first: only the start of an element's text is read


def element_date(tree: LexborHTMLParser) -> str | None:
    """The first date written at the start of an element named as a date, byline or meta line
    (or of its ``title``), in document order, read with :func:`text_date`. Never raises.

    >>> element_date(LexborHTMLParser('<p class="teaser">Around 1 May 2020</p>'
    ...     '<div class="post-meta"><span>Posted 3 March 2021</span></div>'))
    '2021-03-03'
    >>> element_date(LexborHTMLParser('<span class="time" title="2020-02-02">yesterday</span>'))
    '2020-02-02'
    """
    seen: set[int] = set()
    try:
        nodes = tree.css(_DATE_ELEMENTS)
    except Exception:  # selectolax raises on some broken trees: no date rather than an error
        return None
    for node in nodes:
        if node.tag not in _DATE_TAGS or node.mem_id in seen:  # a node matching twice comes twice
            continue
        seen.add(node.mem_id)
        if len(seen) > _MAX_DATE_ELEMENTS:
            return None
        text = " ".join((node.text(deep=True) or "")[: 5 * _ELEMENT_CHARS].split())[:_ELEMENT_CHARS]
        found = text_date(text) or text_date((node.attributes.get("title") or "")[:_ELEMENT_CHARS])
        if found:
            return found
    return None


def publication_date(published: str | None, clues: DateClues, pruned: LexborHTMLParser | None, html: str,
                     url: str | None = None) -> str | None:
    """The page's publication date (ISO 8601).

    ``published`` is the date the metadata reader chose (JSON-LD first). When every clue
    agrees with it (:meth:`DateClues.agreed`), that is the answer. Otherwise the clues are
    weighed in htmldate's order: the URL's day, else the first date ``<meta>`` tag
    (:attr:`DateClues.header`), else ``published``; on a page with none of them, a date in an
    element of the ``pruned`` tree named as a date (:func:`element_date`). A day that differs
    from ``published`` wins over it: on the four corpora's 1,388 pages whose clues disagree, where
    the header tag and ``published`` named different days the header was right on 12 pages,
    ``published`` on 5. When nothing is found, :func:`search_date` reads ``html``.

    >>> page = '<html><head><meta name="date" content="2021-03-04"></head><body></body></html>'
    >>> clues = date_clues(LexborHTMLParser(page), None, ["2021-03-03"])
    >>> publication_date("2021-03-03", clues, LexborHTMLParser(page), page)
    '2021-03-04'
    >>> publication_date(None, DateClues(), None, "<p>Updated 5 May 2020 by Jo</p>")
    '2020-05-05'
    """
    agreed = clues.agreed(published)
    if agreed:
        return agreed
    found = clues.url_day or clues.header
    if not found and not published and pruned is not None:
        found = element_date(pruned)
    if published and (not found or published[:10] == found[:10]):
        return published
    undeclared = [value for value in clues.declared if iso_date(value) is None]
    return found or published or iso_date(search_date(html, url, undeclared))
