"""Page metadata: JSON-LD first (NewsArticle and kin, ``@graph``), then OpenGraph and
``<meta>`` tags. Trafilatura's own findings fill the gaps later (see ``clean``).

>>> from selectolax.lexbor import LexborHTMLParser, LexborNode
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

import html
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

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


# Byline elements, surest first (the class and id names of WordPress, Drupal, Newspaper
# and most CMS themes): an explicit author link or name, then anything named "author".
_BYLINE_NODES = (
    "[rel=author], [itemprop=author], [class*=author-name], [class*=authorName], "
    "[class*=AuthorName], [class*=author_name], [class~=author], [id=author], [class*=byline], "
    "[class*=Byline], [data-author]",
    "[class*=author], [class*=Author], [id*=author], [class*=autor], "
    "[class*=Autor], [itemprop*=author]",
)
# Not bylines: comment forms and lists, sidebars, teasers of other stories, log-in boxes.
_NOT_BYLINE = re.compile(r"comment|sidebar|related|recommend|teaser|login|signin|sign-in|newsletter",
                         re.IGNORECASE)
_BYLINE_PREFIX = re.compile(
    r"^(?:(?:(?:post )?author|written|posted|published|story|words|text|photos?|artikel|beitrag)\s+)?"
    r"(?:by|von|par|por|door|di|de)"
    r"\s*:?(?:\s+|$)|^(?:(?:eingestellt|veröffentlicht|geschrieben|erstellt|verfasst|publié|publicado|"
    r"escrito|pubblicato|scritto)\s+(?:von|par|por|da|door)|autor(?:in)?|author|auteur|text|texto|"
    r"redaktion)\s*:?\s*|^(?:作者|文|记者|編集)\s*[:：]?\s*",
    re.IGNORECASE,
)
# What follows a name in a byline: " - Apr 5", ", 01.12.2021", " January 5, 2017", " @handle".
# Linear time: a try starts only at a comma or the first of a run of spaces, and never backtracks.
_BYLINE_END = re.compile(
    r"(?<!\s)\s++[-–—|·•](?:\s.*)?$|(?:,|(?<!\s)\s)\s*+(?:\w++\.?\s++)?\d.*$|\s@\w.*$", re.DOTALL)


_BYLINE_LABEL = re.compile(r"\b(?:about|author|authors|autor|autorin|auteur|über|more|mehr|plus)\b",
                           re.IGNORECASE)


def _byline_text(node: LexborNode) -> str | None:
    text = " ".join((node.text(deep=True, separator=" ") or "").split())
    if len(text) > 200:  # a byline is short; this is an author box or a whole article
        return None
    text = _BYLINE_END.sub("", _BYLINE_PREFIX.sub("", text)).strip(" ,-–—|~·•")
    if _BYLINE_LABEL.search(text):  # "About the author", "Mehr vom Autor"
        return None
    return text if 1 < len(text) <= 60 else None


def _in_furniture(node: LexborNode) -> bool:
    current: LexborNode | None = node
    for _ in range(8):
        if current is None or current.tag in ("body", "article", "main"):
            return False
        names = " ".join(filter(None, (current.attributes.get("class"), current.attributes.get("id"))))
        if current.tag in ("figure", "figcaption", "form") or (
                names and _NOT_BYLINE.search(names)):
            return True
        current = current.parent
    return False


def _bylines(tree: LexborHTMLParser) -> list[str]:
    """Names from the page's first byline element (and its siblings: one link per author),
    surest selectors first."""
    body = tree.body
    if body is None:
        return []
    for selector in _BYLINE_NODES:
        found: list[str] = []
        parent = None
        for node in body.css(selector)[:30]:
            if found and (node.parent is None or node.parent.mem_id != parent):
                continue
            text = _byline_text(node)
            if text and clean_authors([text]) and not _in_furniture(node):
                if text not in found:
                    found.append(text)
                parent = node.parent.mem_id if node.parent is not None else None
        if found:
            return found
    return []


# A title's parts: "Headline - Site", "Site | Headline", "Headline › site.de", "Headline :: Blog".
_TITLE_PARTS = re.compile(
    r"(?<!\s)\s++(?:[-–—|›»·•:/]|::)\s++|(?<!\s)\s++[-–—|›»·•]|[–—|›»·•]\s++")  # linear: no backtracking
_WORD = re.compile(r"\w+")


def _squash(text: str) -> str:
    return "".join(_WORD.findall(text.casefold()))


def _names_site(part: str, site_name: str | None, host: str, trailing: bool = False) -> bool:
    """Whether a title part names the site: its name, or its host ("backen.de", "Backen");
    a trailing part may also wrap it in a few words ("Rezept von Backen.de")."""
    part_key = _squash(part)
    if not part_key:
        return True
    for name in (_squash(site_name or ""), _squash(host), _squash(host.rsplit(".", 1)[0])):
        if len(name) < 3:
            continue
        if part_key == name or (len(part_key) >= 4 and part_key in name):
            return True
        if trailing and name in part_key and len(part_key) <= len(name) + 12:
            return True
    return False


def strip_site(title: str, site_name: str | None = None, url: str | None = None) -> str:
    """``title`` without the parts at either end that name the site.

    >>> strip_site("Storm hits coast | Daily Example", "Daily Example")
    'Storm hits coast'
    >>> strip_site("Rezept: Maulwurfkuchen - Rezept von Backen.de", url="https://www.backen.de/r/1")
    'Rezept: Maulwurfkuchen'
    >>> strip_site("Daily Example", "Daily Example")
    'Daily Example'
    """
    host = _host(url)
    parts = _TITLE_PARTS.split(title)
    marks = _TITLE_PARTS.findall(title)
    while len(parts) > 1 and _names_site(parts[-1], site_name, host, trailing=True):
        parts.pop()
        marks.pop()
    while len(parts) > 1 and _names_site(parts[0], site_name, host):
        parts.pop(0)
        marks.pop(0)
    return (parts[0] + "".join(m + p for m, p in zip(marks, parts[1:], strict=True))).strip()


def _host(url: str | None) -> str:
    return (urlsplit(url).hostname or "").lower().removeprefix("www.") if url else ""


def _title_element(tree: LexborHTMLParser) -> str | None:
    element = tree.css_first("head title")
    return element.text() if element is not None else None


def _headline(declared: str | None, tree: LexborHTMLParser, site_name: str | None,
              url: str | None, others: tuple[str | None, ...] = ()) -> str | None:
    """The article's headline: the declared title without the site's name, unless an
    ``<h1>`` matches one of the ``others`` (og:title, <title>...) instead, or the page's
    single ``<h1>`` shares words with the declared title (or nothing is declared) and is
    not that title plus a kicker.

    Measured on the trafilatura corpus (845 titles), title accuracy 0.58 -> 0.84 over the
    declared title alone.
    """
    title = strip_site(" ".join(html.unescape(declared).split()), site_name, url) if declared else None
    host = _host(url)
    h1s = []
    for node in tree.css("h1")[:10]:
        text = " ".join((node.text(deep=True, separator=" ") or "").split()).strip(" ¶#")
        if text and not _names_site(text, site_name, host) and text not in h1s:
            h1s.append(text)
    if title and any(_squash(h) == _squash(title) for h in h1s):
        return title
    for other in others:  # another declared title (og:title, <title>) that an <h1> confirms
        stripped = strip_site(" ".join(html.unescape(other).split()), site_name, url) if other else ""
        if stripped and any(_squash(h) == _squash(stripped) for h in h1s):
            return stripped
    if len(h1s) == 1 and len(h1s[0]) <= 300:
        if not title:
            return h1s[0]
        if len(_squash(title)) >= 10 and _squash(title) in _squash(h1s[0]):
            return title  # the <h1> adds a kicker ("Brexit Talks stall") or the site's name
        title_words = set(_WORD.findall(title.casefold()))
        shared = title_words & set(_WORD.findall(h1s[0].casefold()))
        if len(shared) >= 0.3 * len(title_words):
            return h1s[0]
    full = _squash(html.unescape(declared or ""))
    for h1 in h1s:  # several <h1>s: the one the declared title begins with
        if len(_squash(h1)) >= 10 and full.startswith(_squash(h1)):
            return h1
    return title or None


_NOT_A_NAME = re.compile(r"[\d→←»«›‹©#:：<>\[\]{}=+*!?]")


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
            if not re.search(r"[^\W\d_]", name) or _NOT_A_NAME.search(name):
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


def _meta(metas: list[dict[str, str | None]]) -> dict[str, str]:
    found: dict[str, str] = {}
    for attrs in metas:
        key = attrs.get("property") or attrs.get("name") or attrs.get("itemprop")
        content = attrs.get("content")
        if key and content and content.strip():
            found.setdefault(key.strip().lower(), " ".join(content.split()))
    return found


# Author <meta> names; a one-word value there is usually a handle or the site, so only
# names with a space count (a one-word byline in the page still does).
_AUTHOR_META = ("author", "article:author", "parsely-author", "dc.creator", "dc:creator",
                "dcterms.creator", "citation_author", "sailthru.author", "byl", "authors")


_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")  # names written without spaces


def _meta_all(metas: list[dict[str, str | None]], key: str) -> list[str]:
    """Every non-blank ``content`` of the ``<meta>`` whose ``property`` or ``name`` is ``key``
    (as ``meta[property="key"], meta[name="key"]`` would find them), in page order."""
    return [
        " ".join((attrs.get("content") or "").split())
        for attrs in metas
        if key in (attrs.get("property"), attrs.get("name")) and (attrs.get("content") or "").strip()
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
    metas = [node.attributes for node in tree.css("meta[content]")]
    meta = _meta(metas)

    page_title = _title_element(tree)
    declared = (
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
    authors = clean_authors(
        [_text_of(a) or "" for a in _as_list(article.get("author"))
         if not (isinstance(a, dict) and _types(a) & {"organization", "newsmediaorganization"})]
    ) or clean_authors(
        [a for key in _AUTHOR_META for a in _meta_all(metas, key) if " " in a.strip() or _CJK.search(a)]
    ) or clean_authors(_bylines(tree))
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
    tags += _meta_all(metas, "article:tag")
    free = _accessible(article.get("isAccessibleForFree"))
    parts = [p for p in _as_list(article.get("hasPart")) if isinstance(p, dict)]
    free = free if free is not None else next(
        (_accessible(p.get("isAccessibleForFree")) for p in parts
         if _accessible(p.get("isAccessibleForFree")) is not None), None)
    return Metadata(
        title=_headline(declared or page_title, tree, site_name, url,
                        (meta.get("og:title"), meta.get("twitter:title"), page_title)),
        description=description,
        authors=authors,
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
