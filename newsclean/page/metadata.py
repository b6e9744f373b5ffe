"""Page metadata: JSON-LD first (NewsArticle and kin, ``@graph``), then OpenGraph and
``<meta>`` tags; the headline, authors and dates are chosen by their own modules.

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

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

from newsclean.page.authors import find_authors
from newsclean.page.dates import iso_date
from newsclean.page.strings import safe_url
from newsclean.page.title import headline, title_element

__all__ = ["ARTICLE_TYPES", "NON_ARTICLE_TYPES", "LiveEntry", "Metadata", "read_metadata"]

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
    types: tuple[str, ...] = ()  # every JSON-LD @type on the page, lower-cased
    og_type: str | None = None
    live_entries: tuple[LiveEntry, ...] = field(default=())
    jsonld_published: tuple[str, ...] = ()  # every JSON-LD datePublished, as written (the date clues)
    # the attributes of each <meta content> tag, in page order (the date clues read them too)
    meta_tags: tuple[Mapping[str, str | None], ...] = field(default=(), repr=False, compare=False)


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


def _published_values(data: Any, out: list[str], depth: int = 0) -> None:
    """Every string ``datePublished`` in ``data``, at any depth (bounded), in document order."""
    if depth > 20:
        return
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "datePublished" and isinstance(value, str):
                out.append(value)
            elif isinstance(value, (dict, list)):
                _published_values(value, out, depth + 1)
    elif isinstance(data, list):
        for value in data:
            if isinstance(value, (dict, list)):
                _published_values(value, out, depth + 1)


_LD_JSON = 'script[type="application/ld+json"]'
# What metadata reads of the page's elements, found in one walk of the tree (each query is one).
_READ_NODES = f'{_LD_JSON}, meta[content], link[rel="canonical"]'


def _jsonld(tree: LexborHTMLParser, published: list[str] | None = None,
            scripts: list[LexborNode] | None = None) -> list[dict[str, Any]]:
    """The page's JSON-LD objects (in its ``scripts`` of JSON-LD, if found already); every
    ``datePublished`` string is added to ``published``."""
    items: list[dict[str, Any]] = []
    for script in (tree.css(_LD_JSON) if scripts is None else scripts)[:20]:
        raw = (script.text(deep=True) or "").strip()
        raw = re.sub(r"^\s*(?:<!--|<!\[CDATA\[)|(?:-->|\]\]>)\s*$", "", raw)
        if not raw or len(raw) > 2_000_000:
            continue
        try:
            data = json.loads(raw, strict=False)
        except (ValueError, RecursionError):
            continue
        items.extend(_walk(data))
        if published is not None:
            _published_values(data, published)
    return items


def _text_of(value: Any) -> str | None:
    """The text of a JSON-LD value: a string, or an object's name, value, text or url. Never
    its ``@id``, a node reference (``{"@id": "https://example.com/#organization"}``), not a name."""
    for item in _as_list(value):
        if isinstance(item, str) and item.strip():
            return " ".join(item.split())
        if isinstance(item, dict):
            for key in ("name", "@value", "text", "url"):
                if isinstance(item.get(key), str) and item[key].strip():
                    return " ".join(item[key].split())
    return None



def _meta(metas: list[dict[str, str | None]]) -> dict[str, str]:
    found: dict[str, str] = {}
    for attrs in metas:
        key = attrs.get("property") or attrs.get("name") or attrs.get("itemprop")
        content = attrs.get("content")
        if key and content and content.strip():
            found.setdefault(key.strip().lower(), " ".join(content.split()))
    return found


# Author <meta> names (see :func:`~newsclean.page.authors.find_authors` for how they count).
_AUTHOR_META = ("author", "article:author", "parsely-author", "dc.creator", "dc:creator",
                "dcterms.creator", "citation_author", "sailthru.author", "byl", "authors")





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
    jsonld_published: list[str] = []
    scripts: list[LexborNode] = []
    metas: list[dict[str, str | None]] = []
    links: list[LexborNode] = []
    for node in tree.css(_READ_NODES):
        tag = node.tag
        if tag == "meta":
            metas.append(node.attributes)
        elif tag == "script":
            scripts.append(node)
        else:
            links.append(node)
    items = _jsonld(tree, jsonld_published, scripts)
    article = next((i for i in items if _types(i) & ARTICLE_TYPES), None) or {}
    page_type = next((t for i in items for t in _types(i) if t in NON_ARTICLE_TYPES), None)
    publisher = next((i for i in items if _types(i) & {"organization", "newsmediaorganization"}), {})
    website = next((i for i in items if "website" in _types(i)), {})
    meta = _meta(metas)

    page_title = title_element(tree)
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
    authors = find_authors(
        [_text_of(a) or "" for a in _as_list(article.get("author"))
         if not (isinstance(a, dict) and _types(a) & {"organization", "newsmediaorganization"})],
        [a for key in _AUTHOR_META for a in _meta_all(metas, key)],
        tree,
    )
    published = iso_date(_text_of(article.get("datePublished"))) or next(
        (iso_date(meta[k]) for k in ("article:published_time", "og:article:published_time",
                                     "datepublished", "parsely-pub-date", "pubdate", "publishdate",
                                     "date", "dc.date", "dc.date.issued", "sailthru.date",
                                     "article.published", "dcterms.created")
         if iso_date(meta.get(k))), None)
    modified = iso_date(_text_of(article.get("dateModified"))) or iso_date(
        meta.get("article:modified_time") or meta.get("og:updated_time") or meta.get("datemodified"))
    image = _text_of(article.get("image")) or meta.get("og:image") or meta.get("twitter:image")
    canonical = next((n.attributes.get("href") for n in links if n.attributes.get("href")),
                     None) or meta.get("og:url")
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
        title=headline(declared or page_title, tree, site_name, url,
                        (meta.get("og:title"), meta.get("twitter:title"), page_title)),
        description=description,
        authors=authors,
        published=published,
        modified=modified,
        site_name=site_name,
        language=_language(language),
        lead_image=safe_url(image, url),
        canonical_url=safe_url(canonical, url),
        tags=tuple(dict.fromkeys(t.strip() for t in tags if isinstance(t, str) and t.strip()))[:50],
        paywalled=free is False,
        article_type=next((t for t in _types(article)), None) if article else None,
        page_type=page_type,
        types=tuple(sorted({t for i in items for t in _types(i)}))[:50],
        og_type=meta.get("og:type"),
        live_entries=_live_entries(article) if "liveblogposting" in _types(article) else (),
        jsonld_published=tuple(jsonld_published),
        meta_tags=tuple(metas),
    )


def _language(value: str | None) -> str | None:
    """A primary language subtag: 'en-GB' -> 'en', 'de_DE' -> 'de'."""
    if not value:
        return None
    match = re.match(r"^\s*([A-Za-z]{2,3})(?:[-_]|$)", value)
    return match.group(1).lower() if match else None
