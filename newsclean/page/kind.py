"""What kind of page this is: an article, or a product, collection, listing, forum, documentation
or service page, so that a pipeline can filter on ``Article.is_article``.

A linear model over signals that cost next to nothing: what the page declares (JSON-LD
``@type``, ``og:type``), its URL (a date, a long slug, words such as ``/forum/`` or
``/docs/``), its markup (prices, add-to-cart buttons, form controls, code blocks) and
the text that was extracted (sentences, paragraph length, list share). The weights are
data (``kind.json`` beside this module), trained by ``benchmarks/train_kind.py`` on a
corpus whose pages carry a type; ``Options.favor`` moves the threshold.

>>> from selectolax.lexbor import LexborHTMLParser
>>> from newsclean.article import Block
>>> from newsclean.page.metadata import Metadata
>>> shop = ('<html><body><h1>Blue kettle</h1><span class="price">€29</span>'
...         '<button>Add to cart</button></body></html>')
>>> signals = page_signals(LexborHTMLParser(shop), shop)
>>> meta = Metadata(types=("product",), og_type="product")
>>> url = "https://shop.example/products/blue-kettle"
>>> kind = page_kind(signals, meta, url, [Block("paragraph", "A kettle.")])
>>> kind.name, kind.is_article
('product', False)
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser

from newsclean.article import Block
from newsclean.page.metadata import ARTICLE_TYPES, Metadata

__all__ = ["KINDS", "Kind", "PageSignals", "kind_features", "page_kind", "page_signals"]

KINDS = ("article", "service", "product", "collection", "forum", "listing", "documentation")
"""The kinds of page told apart; the first is the one ``is_article`` means."""

MARGINS = {"precision": 1.0, "balanced": 0.0, "recall": -1.0}
"""How much more the article score must be than the best other kind's, by ``Options.favor``."""

# JSON-LD @types, grouped by the kind of page they describe.
_TYPE_GROUPS: Mapping[str, frozenset[str]] = {
    "t_article": ARTICLE_TYPES - {"techarticle"},
    "t_tech": frozenset({"techarticle", "apireference"}),
    "t_product": frozenset(
        {"product", "productgroup", "offer", "aggregateoffer", "itempage", "productmodel"}
    ),
    "t_collection": frozenset({"collectionpage", "itemlist", "searchresultspage", "offercatalog"}),
    "t_forum": frozenset({"discussionforumposting", "qapage", "answer", "comment"}),
    "t_faq": frozenset({"faqpage"}),
    "t_service": frozenset(
        {"service", "localbusiness", "softwareapplication", "professionalservice", "webapplication"}
    ),
    "t_howto": frozenset({"howto", "recipe"}),
    "t_person": frozenset({"person", "profilepage"}),
}
# Words of a URL's folders (not its last part) that name a kind of page.
_PATH_WORDS = {
    "kw_product": r"products?|p|dp|item|items|shop|store|buy",
    "kw_collection": r"categor(?:y|ies)|collections?|c|tags?|topics?|search|brands?|catalog|s",
    "kw_forum": r"forums?|threads?|t|questions?|community|discussions?|r|comments|answers",
    "kw_docs": r"docs?|documentation|api|reference|manual|guides?|learn|tutorials?|help|support|kb|wiki|sdk"
    r"|developers?",
    "kw_blog": r"blogs?|news|articles?|story|stories|posts?|press|insights|magazine|journal",
    "kw_service": r"services?|solutions?|pricing|about|contact|features|plans|company|careers|industries",
}
_PATH_RES = {name: re.compile(rf"^(?:{words})$", re.IGNORECASE) for name, words in _PATH_WORDS.items()}
_HOSTS = {
    "h_docs": re.compile(r"^(?:docs|developer|developers|help|support|learn|wiki|kb|api)\."),
    "h_forum": re.compile(r"^(?:forums?|community|discuss|answers|talk)\."),
    "h_shop": re.compile(r"^(?:shop|store)\."),
}
_URL_DATE = re.compile(r"/(?:19|20)\d\d[/-]\d{1,2}(?:[/-]\d{1,2})?/")
_CART = (
    "add to cart",
    "add to basket",
    "add to bag",
    "in den warenkorb",
    "ajouter au panier",
    "buy now",
    "añadir al carrito",
)
_FORUM_WORDS = ("replies", "reply", "posted by", "joined", "members online", "views")
_SCAN = 200_000  # characters of the page searched for words (the rest says nothing new)
_SIGNAL_NODES = (
    "article, h2 a[href], h3 a[href], [itemprop=price], [class*=price], [class*=Price], pre, code, "
    "time, [class*=comment], [id*=comment], form, input, select, textarea"
)
# What a feature means, for a person reading ``Kind.why``.
_SAYS = {
    "t_article": "JSON-LD article",
    "t_tech": "JSON-LD TechArticle",
    "t_product": "JSON-LD Product",
    "t_collection": "JSON-LD collection or item list",
    "t_forum": "JSON-LD forum posting or Q&A",
    "t_faq": "JSON-LD FAQ",
    "t_service": "JSON-LD service or business",
    "t_howto": "JSON-LD how-to or recipe",
    "og_article": "og:type article",
    "og_product": "og:type product",
    "url_date": "a date in the URL",
    "slug_long": "a long URL slug",
    "kw_product": "a shop path in the URL",
    "kw_collection": "a category path",
    "kw_forum": "a forum path",
    "kw_docs": "a documentation path",
    "kw_blog": "a news or blog path",
    "kw_service": "a company or service path",
    "h_docs": "a documentation host",
    "h_forum": "a forum host",
    "h_shop": "a shop host",
    "has_pub": "a publication date",
    "has_author": "an author",
    "price": "prices",
    "cart": "an add-to-cart button",
    "inputs": "form controls",
    "pre": "code blocks",
    "code": "code",
    "n_h2a": "linked headlines",
    "n_article": "many <article> elements",
    "forum_words": "replies and posters",
    "sentences": "sentences of prose",
    "long_share": "long paragraphs",
    "items_share": "mostly list items",
    "table_share": "mostly tables",
    "heads": "many headings",
    "words": "the amount of text",
    "paras": "paragraphs",
}


@dataclass(frozen=True)
class PageSignals:
    """What the page's markup says about its kind, counted before furniture is removed."""

    articles: int = 0
    headline_links: int = 0
    prices: int = 0
    pre: int = 0
    code: int = 0
    times: int = 0
    comments: int = 0
    forms: int = 0
    inputs: int = 0
    cart: bool = False
    forum_words: int = 0


@dataclass(frozen=True)
class Kind:
    """The kind of page (one of :data:`KINDS`), by how much it won, and the signals that said so."""

    name: str
    margin: float
    why: tuple[str, ...] = ()

    @property
    def is_article(self) -> bool:
        """Whether the page is an article."""
        return self.name == "article"

    @property
    def reason(self) -> str:
        """Why the page is not an article, for ``Article.reason`` (empty for an article)."""
        if self.is_article:
            return ""
        because = f" ({', '.join(self.why)})" if self.why else ""
        return f"not an article: looks like a {self.name} page{because}"


def page_signals(tree: LexborHTMLParser, html: str, encoded: bytes | None = None) -> PageSignals:
    """Count the markup signals of ``tree`` (the page ``html`` parsed, before pruning) in one query
    (``encoded``: ``html`` in UTF-8, when the caller has it)."""
    counts = dict.fromkeys(
        ("articles", "headline_links", "prices", "pre", "code", "times", "comments", "forms", "inputs"), 0
    )
    for node in tree.css(_SIGNAL_NODES):
        tag = node.tag
        if tag == "article":
            counts["articles"] += 1
        elif tag in ("pre", "code", "form"):
            counts["pre" if tag == "pre" else "code" if tag == "code" else "forms"] += 1
        elif tag == "time":
            counts["times"] += 1
        elif tag in ("input", "select", "textarea"):
            counts["inputs"] += 1
        elif tag == "a":
            counts["headline_links"] += 1
            continue
        attrs = node.attributes  # a new dict at each read: read once
        names = f"{attrs.get('class') or ''} {attrs.get('id') or ''}"
        if "price" in names.lower() or attrs.get("itemprop") == "price":
            counts["prices"] += 1
        if "comment" in names:
            counts["comments"] += 1
    cart, forum_words = _page_words(html[:_SCAN], encoded if len(html) <= _SCAN else None)
    return PageSignals(cart=cart, forum_words=forum_words, **counts)




def _by_prefix(phrases: Sequence[str], counted: bool = False) -> tuple[bytes | re.Pattern[bytes], ...]:
    """The phrases as bytes, grouped by their first four characters: a group of one is the
    phrase itself, a larger group one pattern that starts with the prefix its phrases share
    (``re`` searches for that prefix as fast as ``bytes.count`` does, so a group costs one scan,
    not one a phrase). ``counted``: the pattern's matches must be as many as the phrases'
    counts added up, which holds when no phrase is the start of another and the prefix's first
    byte occurs only there in each phrase (no two occurrences can then overlap); a group that
    would break this is left as single phrases.

    >>> grouped = _by_prefix(["add to cart", "add to bag", "buy now"])
    >>> len(grouped), grouped[0].search(b"add to bag") is not None, grouped[1]
    (2, True, b'buy now')
    >>> _by_prefix(["add to cart", "add to bag"], counted=True)  # "a" recurs: "add to c|a|rt"
    (b'add to cart', b'add to bag')
    """
    groups: dict[bytes, list[bytes]] = {}
    for phrase in phrases:
        groups.setdefault(phrase.encode()[:4], []).append(phrase.encode())
    out: list[bytes | re.Pattern[bytes]] = []
    for group in groups.values():
        first = group[0][:1]
        overlapping = any(a != b and b.startswith(a) for a in group for b in group) or \
            any(p.count(first) > 1 for p in group)
        if len(group) == 1 or (counted and overlapping):
            out.extend(group)
            continue
        start = _shared_start(group)
        rests = b"|".join(re.escape(p[len(start):]) for p in group)
        out.append(re.compile(re.escape(start) + b"(?:" + rests + b")"))
    return tuple(out)


def _shared_start(phrases: Sequence[bytes]) -> bytes:
    """The longest start all ``phrases`` share (the first and last in sorted order share it)."""
    first, last = min(phrases), max(phrases)
    size = 0
    while size < len(first) and first[size] == last[size]:
        size += 1
    return first[:size]


_CART_BYTES = _by_prefix([phrase for phrase in _CART if phrase.isascii()])
# An ASCII word of each other phrase (b"" when it has none: then the text is always lowered).
_CART_ANCHORS = tuple(max((w.encode() for w in phrase.split() if w.isascii()), key=len, default=b"")
                      for phrase in _CART if not phrase.isascii())
_FORUM_BYTES = _by_prefix(_FORUM_WORDS, counted=True)
_TO_ASCII = ("\u0130", "\u212a")  # the only characters whose lower case holds ASCII letters


def _page_words(head: str, encoded: bytes | None = None) -> tuple[bool, int]:
    """Whether ``head`` holds a shopping-cart phrase, and how many forum words, in any case.

    The words are ASCII: in the UTF-8 bytes, lowered as ASCII, they are found as in the text
    lowered (twice as fast on a page with any other character, whose ``str.lower`` is slow),
    unless it holds a character that lowers to ASCII letters, or the cart phrase that is not
    ASCII may be there. ``encoded``: ``head`` in UTF-8, when the caller has it.

    >>> _page_words("<button>Add To Cart</button> 3 Replies, Posted by X, 1 reply")
    (True, 3)
    >>> _page_words("AÑADIR AL CARRITO"), _page_words("Add to bas\u212aet")
    ((True, 0), (True, 0))
    """
    if not any(char in head for char in _TO_ASCII):
        lowered = (head.encode("utf-8", "surrogatepass") if encoded is None else encoded).lower()
        cart = any(phrase in lowered if isinstance(phrase, bytes) else phrase.search(lowered) is not None
                   for phrase in _CART_BYTES)
        if cart or all(anchor and anchor not in lowered for anchor in _CART_ANCHORS):
            forum = sum(lowered.count(phrase) if isinstance(phrase, bytes) else len(phrase.findall(lowered))
                        for phrase in _FORUM_BYTES)
            return cart, forum
    text = head.lower()
    return any(phrase in text for phrase in _CART), sum(text.count(word) for word in _FORUM_WORDS)


def _log(count: float) -> float:
    return math.log1p(count)


def kind_features(
    signals: PageSignals,
    meta: Metadata,
    url: str | None,
    blocks: Sequence[Block],
    published: str | None = None,
) -> dict[str, float]:
    """The model's inputs for one page (its extracted ``blocks`` and ``published`` date
    among them): each a number, most between 0 and 1."""
    types = set(meta.types)
    features = {name: float(bool(types & group)) for name, group in _TYPE_GROUPS.items()}
    og_type = (meta.og_type or "").lower()
    features.update(
        og_article=float(og_type == "article"),
        og_product=float(og_type.startswith("product") or "item" in og_type),
        og_website=float(og_type == "website"),
        og_none=float(not og_type),
    )
    parts = urlsplit(url or "")
    host = (parts.hostname or "").lower().removeprefix("www.")
    folders = [part for part in parts.path.split("/") if part]
    slug = [
        word for word in re.split(r"[-_]+", re.sub(r"\.\w+$", "", folders[-1] if folders else "")) if word
    ]
    features.update(
        url_date=float(_URL_DATE.search(parts.path) is not None),
        slug_words=min(len(slug), 10) / 10,
        slug_long=float(len(slug) >= 4),
        depth=min(len(folders), 6) / 6,
        root=float(not folders),
    )
    for name, pattern in _PATH_RES.items():
        features[name] = float(any(pattern.match(part) for part in folders[:-1] or folders))
    for name, pattern in _HOSTS.items():
        features[name] = float(pattern.match(host) is not None)
    features.update(
        has_pub=float(bool(published or meta.published)),
        has_author=float(bool(meta.authors)),
        n_article=_log(signals.articles),
        n_h2a=_log(signals.headline_links),
        price=_log(signals.prices),
        cart=float(signals.cart),
        pre=_log(signals.pre),
        code=_log(signals.code),
        time_el=_log(signals.times),
        comment_cls=_log(signals.comments),
        forum_words=_log(signals.forum_words),
        forms=_log(signals.forms),
        inputs=_log(signals.inputs),
        no_url=float(not url),
    )
    counts = [len(b.text.split()) for b in blocks]  # words of each block
    paragraphs = [n for b, n in zip(blocks, counts, strict=True) if b.kind == "paragraph"]
    total = sum(counts)

    def share(kind: str) -> float:
        return sum(n for b, n in zip(blocks, counts, strict=True) if b.kind == kind) / total if total else 0.0

    sentences = sum(b.text.count(". ") + b.text.endswith(".") for b in blocks if b.kind == "paragraph")
    features.update(
        words=_log(total) / 8,
        paras=_log(len(paragraphs)) / 5,
        long_share=sum(w for w in paragraphs if w >= 40) / total if total else 0.0,
        mean_para=_log(sum(paragraphs) / len(paragraphs)) / 5 if paragraphs else 0.0,
        heads=_log(sum(b.kind == "heading" for b in blocks)) / 4,
        items_share=share("list_item"),
        table_share=share("table"),
        code_share=share("code"),
        sentences=_log(sentences) / 6,
    )
    return features


@dataclass(frozen=True)
class _Model:
    kinds: tuple[str, ...]
    weights: Mapping[str, tuple[float, ...]]
    bias: tuple[float, ...]


@lru_cache(maxsize=1)
def _model() -> _Model:
    data = json.loads((resources.files("newsclean.page") / "kind.json").read_text(encoding="utf-8"))
    return _Model(
        tuple(data["kinds"]), {k: tuple(v) for k, v in data["weights"].items()}, tuple(data["bias"])
    )


def page_kind(
    signals: PageSignals,
    meta: Metadata,
    url: str | None,
    blocks: Sequence[Block],
    published: str | None = None,
    favor: str = "balanced",
) -> Kind:
    """The kind of page: the article wins when its score beats every other kind's by the
    ``favor`` margin (:data:`MARGINS`); ``why`` names the signals that weighed most for the winner."""
    model = _model()
    features = kind_features(signals, meta, url, blocks, published)
    scores = list(model.bias)
    for name, value in features.items():
        if value:
            for i, weight in enumerate(model.weights.get(name, ())):
                scores[i] += weight * value
    other = max(range(1, len(scores)), key=scores.__getitem__)
    margin = scores[0] - scores[other]
    winner = 0 if margin > MARGINS.get(favor, 0.0) else other
    pushes = sorted(
        (
            (value * (model.weights[name][winner] - model.weights[name][0 if winner else other]), name)
            for name, value in features.items()
            if value and name in model.weights and name in _SAYS
        ),
        reverse=True,
    )
    why = tuple(_SAYS[name] for push, name in pushes[:3] if push > 0.2)
    return Kind(model.kinds[winner], round(margin, 3), why)
