"""Page metadata: JSON-LD first (NewsArticle and kin, ``@graph``), then OpenGraph and
``<meta>`` tags. Trafilatura's own findings fill the gaps later (see ``clean``).

>>> from selectolax.lexbor import LexborHTMLParser
>>> page = LexborHTMLParser('''<html lang="en-GB"><head>
... <script type="application/ld+json">{"@context": "https://schema.org",
...  "@graph": [{"@type": "NewsArticle", "headline": "Storm hits coast",
...   "author": [{"@type": "Person", "name": "By Jane Doe"}, {"@type": "Organization", "name": "Reuters"}],
...   "datePublished": "2024-03-01T09:30:00Z", "isAccessibleForFree": "False"}]}</script>
... <meta property="og:site_name" content="Daily Example"></head><body></body></html>''')
>>> meta = read_metadata(page, "https://example.com/a")
>>> meta.title, meta.authors, meta.published, meta.site_name, meta.language, meta.paywalled
('Storm hits coast', ('Jane Doe',), '2024-03-01T09:30:00+00:00', 'Daily Example', 'en', True)
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import urljoin

from selectolax.lexbor import LexborHTMLParser

__all__ = ["LiveEntry", "Metadata", "clean_authors", "iso_date", "read_metadata"]

ARTICLE_TYPES = frozenset(
    {
        "article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle",
        "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle",
        "askpublicnewsarticle", "blogposting", "liveblogposting", "scholarlyarticle",
        "techarticle", "report", "socialmediaposting", "satiricalarticle", "posting",
    }
)
NON_ARTICLE_TYPES = frozenset(
    {"collectionpage", "searchresultspage", "itemlist", "profilepage", "aboutpage", "contactpage"}
)
_AGENCIES = re.compile(
    r"^(?:by )?(?:reuters|associated press|ap|afp|agence france[- ]presse|pa(?: media| wire)?|"
    r"press association|dpa|apa|epa|efe|ansa|anp|belga|sda|xinhua|bloomberg|"
    r"staff(?: writer| reporter)?s?|editorial(?: staff| team)?|newsroom|redaktion|red|"
    r"agenturen|agencies|agency|wire services?|news desk|web desk|admin|administrator|"
    r"[\w .&-]{0,40}(?:news(?:room|desk)?|media|press|group|network|agency|team|staff|"
    r"online|digital|magazine|times|post|journal|herald|gazette|tribune|daily))$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class LiveEntry:
    """One entry of a live blog (schema.org ``liveBlogUpdate``)."""

    time: str | None
    headline: str | None
    text: str


@dataclass(frozen=True)
class Metadata:
    """What the page says about itself."""

    title: str | None = None
    description: str | None = None
    authors: tuple[str, ...] = ()
    published: str | None = None
    modified: str | None = None
    site_name: str | None = None
    language: str | None = None
    lead_image: str | None = None
    canonical_url: str | None = None
    tags: tuple[str, ...] = ()
    paywalled: bool = False
    article_type: str | None = None
    page_type: str | None = None
    live_entries: tuple[LiveEntry, ...] = field(default=())


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _types(item: dict[str, Any]) -> set[str]:
    return {str(t).lower().rsplit("/", 1)[-1] for t in _as_list(item.get("@type"))}


def _walk(data: Any, depth: int = 0) -> list[dict[str, Any]]:
    """Every JSON-LD object with a @type, through @graph and nested lists (bounded depth)."""
    if depth > 6:
        return []
    out: list[dict[str, Any]] = []
    for item in _as_list(data):
        if not isinstance(item, dict):
            continue
        if "@type" in item:
            out.append(item)
        for key in ("@graph", "mainEntity", "itemListElement"):
            if key in item:
                out.extend(_walk(item[key], depth + 1))
    return out


def _jsonld(tree: LexborHTMLParser) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for script in tree.css('script[type="application/ld+json"]')[:20]:
        raw = (script.text(deep=True) or "").strip()
        raw = re.sub(r"^\s*(?:<!--|<!\[CDATA\[)|(?:-->|\]\]>)\s*$", "", raw)
        if not raw or len(raw) > 2_000_000:
            continue
        try:
            data = json.loads(raw, strict=False)
        except (ValueError, RecursionError):
            continue
        items.extend(_walk(data))
    return items


def _text_of(value: Any) -> str | None:
    for item in _as_list(value):
        if isinstance(item, str) and item.strip():
            return " ".join(item.split())
        if isinstance(item, dict):
            for key in ("name", "@value", "text", "url", "@id"):
                if isinstance(item.get(key), str) and item[key].strip():
                    return " ".join(item[key].split())
    return None


_BYLINE_NODES = (
    "[itemprop=author], [rel=author], [class*=byline], [class*=Byline], [class*=author-name], "
    "[class*=authorName], [class*=post-author], [class*=entry-author], [class=author], "
    "[class*=article-author], [class*=autor], [class*=Autor]"
)
_BYLINE_PREFIX = re.compile(
    r"^(?:(?:written |posted |story |words )?by|von|par|por|door|di|autor(?:in)?|author|"
    r"text|texto|redaktion)\s*:?\s+",
    re.IGNORECASE,
)


def _bylines(tree: LexborHTMLParser) -> list[str]:
    """Names from byline elements in the page body (before any pruning), short ones only."""
    body = tree.body
    if body is None:
        return []
    found = []
    for node in body.css(_BYLINE_NODES)[:12]:
        text = " ".join((node.text(deep=True, separator=" ") or "").split())
        text = _BYLINE_PREFIX.sub("", text)
        if 2 < len(text) <= 60 and not re.search(r"\d{4}|\d{1,2}[.:/]\d{1,2}", text):
            found.append(text)
        if len(found) >= 3:
            break
    return found


def clean_authors(names: list[str]) -> tuple[str, ...]:
    """Person names only: split lists, drop "By", URLs, agencies and organisations.

    A name equal to the site's is kept (personal blogs); publisher-like names
    ("… News", "… Media") are dropped as organisations.

    >>> clean_authors(["By Jane Doe and John Roe", "Reuters", "https://x.com/jd", "Jane Doe"])
    ('Jane Doe', 'John Roe')
    """
    out: dict[str, None] = {}
    for raw in names:
        if "://" in raw or raw.strip().lower().startswith("www."):
            continue
        for name in re.split(r"\s*(?:,|;|\band\b|\bund\b|\bet\b|\by\b|&|\||/)\s*", raw):
            name = re.sub(r"^(?:by|von|par|por|door)\s+", "", name.strip(), flags=re.I)
            name = " ".join(name.strip(" .:-–—").split())
            if not name or len(name) > 60 or len(name.split()) > 5:
                continue
            if "://" in name or "@" in name or name.lower().startswith("www."):
                continue
            if _AGENCIES.match(name):
                continue
            if not re.search(r"[^\W\d_]", name):
                continue
            out.setdefault(name, None)
    return tuple(out)


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
            offset = timezone.utc
        else:
            sign = 1 if tz[0] == "+" else -1
            digits = tz[1:].replace(":", "")
            try:
                offset = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
            except ValueError:
                offset = None
    now = now or datetime.now(timezone.utc)
    if moment.replace(tzinfo=offset or timezone.utc) > now + timedelta(days=1) or moment.year < 1900:
        return None
    if hour is None:
        return moment.date().isoformat()
    return moment.replace(tzinfo=offset).isoformat()


def _meta(tree: LexborHTMLParser) -> dict[str, str]:
    found: dict[str, str] = {}
    for node in tree.css("meta[content]"):
        attrs = node.attributes
        key = attrs.get("property") or attrs.get("name") or attrs.get("itemprop")
        content = attrs.get("content")
        if key and content and content.strip():
            found.setdefault(key.strip().lower(), " ".join(content.split()))
    return found


def _meta_all(tree: LexborHTMLParser, key: str) -> list[str]:
    return [
        " ".join((n.attributes.get("content") or "").split())
        for n in tree.css(f'meta[property="{key}"], meta[name="{key}"]')
        if (n.attributes.get("content") or "").strip()
    ]


def _live_entries(item: dict[str, Any]) -> tuple[LiveEntry, ...]:
    entries = []
    for update in _as_list(item.get("liveBlogUpdate"))[:2000]:
        if not isinstance(update, dict):
            continue
        body = _text_of(update.get("articleBody")) or _text_of(update.get("text"))
        if not body:
            continue
        entries.append(
            LiveEntry(
                time=iso_date(_text_of(update.get("datePublished"))),
                headline=_text_of(update.get("headline")),
                text=body,
            )
        )
    return tuple(entries)


def _accessible(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return None


def read_metadata(tree: LexborHTMLParser, url: str | None = None) -> Metadata:
    """Read the page's metadata; never raises on malformed JSON-LD or tags."""
    items = _jsonld(tree)
    article = next((i for i in items if _types(i) & ARTICLE_TYPES), None) or {}
    page_type = next((t for i in items for t in _types(i) if t in NON_ARTICLE_TYPES), None)
    publisher = next((i for i in items if _types(i) & {"organization", "newsmediaorganization"}), {})
    website = next((i for i in items if "website" in _types(i)), {})
    meta = _meta(tree)

    title = (
        _text_of(article.get("headline"))
        or meta.get("og:title")
        or meta.get("twitter:title")
        or _text_of(article.get("name"))
    )
    description = (
        _text_of(article.get("description"))
        or meta.get("og:description")
        or meta.get("description")
        or meta.get("twitter:description")
    )
    site_name = (
        meta.get("og:site_name")
        or _text_of(article.get("publisher"))
        or _text_of(publisher.get("name"))
        or _text_of(website.get("name"))
        or meta.get("application-name")
    )
    raw_authors = [_text_of(a) or "" for a in _as_list(article.get("author"))
                   if not (isinstance(a, dict) and _types(a) & {"organization", "newsmediaorganization"})]
    if not raw_authors:
        raw_authors = [a for a in _meta_all(tree, "author") + _meta_all(tree, "article:author")
                       + _meta_all(tree, "parsely-author") + _meta_all(tree, "dc.creator")]
    if not raw_authors:
        raw_authors = _bylines(tree)
    published = iso_date(_text_of(article.get("datePublished"))) or next(
        (iso_date(meta[k]) for k in ("article:published_time", "og:article:published_time",
                                     "datepublished", "parsely-pub-date", "pubdate", "publishdate",
                                     "date", "dc.date", "dc.date.issued", "sailthru.date",
                                     "article.published", "dcterms.created")
         if iso_date(meta.get(k))), None)
    modified = iso_date(_text_of(article.get("dateModified"))) or iso_date(
        meta.get("article:modified_time") or meta.get("og:updated_time") or meta.get("datemodified"))
    image = _text_of(article.get("image")) or meta.get("og:image") or meta.get("twitter:image")
    canonical = next((n.attributes.get("href") for n in tree.css('link[rel="canonical"]')
                      if n.attributes.get("href")), None) or meta.get("og:url")
    html = tree.css_first("html")
    language = (html.attributes.get("lang") if html is not None else None) or _text_of(
        article.get("inLanguage")) or meta.get("og:locale") or meta.get("content-language")
    keywords = article.get("keywords") or meta.get("keywords") or meta.get("news_keywords")
    tags = _as_list(keywords)
    if len(tags) == 1 and isinstance(tags[0], str):
        tags = tags[0].split(",")
    tags += _meta_all(tree, "article:tag")
    free = _accessible(article.get("isAccessibleForFree"))
    parts = [p for p in _as_list(article.get("hasPart")) if isinstance(p, dict)]
    free = free if free is not None else next(
        (_accessible(p.get("isAccessibleForFree")) for p in parts
         if _accessible(p.get("isAccessibleForFree")) is not None), None)
    return Metadata(
        title=title,
        description=description,
        authors=clean_authors([a for a in raw_authors if a]),
        published=published,
        modified=modified,
        site_name=site_name,
        language=_language(language),
        lead_image=urljoin(url or "", image) if image else None,
        canonical_url=urljoin(url or "", canonical) if canonical else None,
        tags=tuple(dict.fromkeys(t.strip() for t in tags if isinstance(t, str) and t.strip()))[:50],
        paywalled=free is False,
        article_type=next((t for t in _types(article)), None) if article else None,
        page_type=page_type,
        live_entries=_live_entries(article) if "liveblogposting" in _types(article) else (),
    )


def _language(value: str | None) -> str | None:
    """A primary language subtag: 'en-GB' -> 'en', 'de_DE' -> 'de'."""
    if not value:
        return None
    match = re.match(r"^\s*([A-Za-z]{2,3})(?:[-_]|$)", value)
    return match.group(1).lower() if match else None
