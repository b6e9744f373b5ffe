"""One small adapter per extractor, each called the way its documentation recommends.

An adapter turns page bytes (and the page URL, if known) into an :class:`Output`.
``load()`` imports the extractor lazily and returns the callable, so a missing
peer is an ``ImportError`` the runner reports, never a crash. ``note`` says how
the peer is called; it is printed under every results table.

Decoding: peers that accept bytes get bytes and decode them themselves; peers
that only take ``str`` get the page decoded by :func:`decode_page` (BOM,
``<meta charset>``, UTF-8, then charset-normalizer), inside the timed call.

>>> sorted(ADAPTERS)[:3]
['boilerpy3', 'goose3', 'html-text']
>>> date_only("2019-10-16T08:00:00+02:00"), date_only(None), date_only("16 Oct")
('2019-10-16', None, None)
>>> split_authors("Jane Roe; John Doe")
('Jane Roe', 'John Doe')
"""

from __future__ import annotations

import codecs
import datetime as _dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import metadata as _md
from typing import Any

__all__ = [
    "ADAPTERS",
    "DEFAULT_EXTRACTORS",
    "Adapter",
    "ExtractFn",
    "Output",
    "date_only",
    "decode_page",
    "split_authors",
]


@dataclass(frozen=True)
class Output:
    """What one extractor returned for one page (metadata ``None``/``()`` if it has none)."""

    text: str
    title: str | None = None
    authors: tuple[str, ...] = ()
    date: str | None = None  # YYYY-MM-DD
    fallback: bool | None = None  # newsclean: whether trafilatura extracted instead (None: not ours)


ExtractFn = Callable[[bytes, "str | None"], Output]


@dataclass(frozen=True)
class Adapter:
    """How to load and call one extractor.

    ``load`` returns ``(extract, metadata)``: ``extract`` is timed; ``metadata``,
    when not ``None``, is a separate untimed call for peers whose documented text
    call does not return metadata (its title/authors/date replace the Output's).
    """

    name: str
    package: str  # distribution name, for the version
    note: str
    load: Callable[[], tuple[ExtractFn, ExtractFn | None]]
    meta_fields: tuple[str, ...] = ()  # which of title/authors/date it offers

    def version(self) -> str:
        """Installed version of the package, or ``"?"``."""
        try:
            return _md.version(self.package)
        except _md.PackageNotFoundError:
            return "?"


# --- helpers ---------------------------------------------------------------------------

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]{1,40})""", re.I)
_HTML_LANG = re.compile(rb"""<html[^>]{0,500}?\blang\s*=\s*["']?\s*([a-zA-Z]{2,3})""", re.I)
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")


def decode_page(data: bytes) -> str:
    """Page bytes to ``str`` for peers that take text.

    >>> decode_page(b'<meta charset="iso-8859-1"><p>caf\\xe9</p>')[-11:]
    '<p>café</p>'
    >>> decode_page(b"\\xef\\xbb\\xbf<p>x</p>")
    '<p>x</p>'
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(codec, "replace")
    match = _META_CHARSET.search(data[:4096])
    if match:
        try:
            return data.decode(match.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:65536]).best()
        if best is not None:
            return data.decode(best.encoding, "replace")
    except Exception:  # the detector is a nicety; never let it fail a page
        pass
    return data.decode("utf-8", "replace")


def page_lang(data: bytes) -> str | None:
    """The ``<html lang>`` code of a page, lower-cased, or ``None``.

    >>> page_lang(b'<!doctype html><html class="x" lang="de-DE">')
    'de'
    """
    match = _HTML_LANG.search(data[:8192])
    return match.group(1).decode("ascii").lower() if match else None


def date_only(value: object) -> str | None:
    """``YYYY-MM-DD`` from a date, datetime or ISO-like string; ``None`` otherwise."""
    if value is None:
        return None
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()[:10]
    match = _ISO_DATE.match(str(value))
    return "-".join(match.groups()) if match else None


def split_authors(value: object) -> tuple[str, ...]:
    """Authors as a tuple from a list or a ``;``-joined string."""
    if value is None:
        return ()
    items: Iterable[object] = value.split(";") if isinstance(value, str) else value  # type: ignore[assignment]
    return tuple(s for s in (str(a).strip() for a in items) if s)


def _clean_title(value: object) -> str | None:
    return str(value).strip() or None if value else None


# --- adapters --------------------------------------------------------------------------


def _newsclean(favor: str = "balanced") -> Callable[[], tuple[ExtractFn, ExtractFn | None]]:
    def load() -> tuple[ExtractFn, ExtractFn | None]:
        import newsclean

        clean, options = newsclean.clean, newsclean.Options(favor=favor)  # type: ignore[arg-type]

        def extract(html: bytes, url: str | None) -> Output:
            art = clean(html, url=url, options=options)
            return Output(
                art.text or "", _clean_title(art.title), tuple(art.authors or ()), date_only(art.published),
                fallback=art.diagnostics.extractor == "trafilatura",
            )

        return extract, None

    return load


def _trafilatura(**kwargs: Any) -> Callable[[], tuple[ExtractFn, ExtractFn | None]]:
    def load() -> tuple[ExtractFn, ExtractFn | None]:
        import trafilatura
        from trafilatura.metadata import extract_metadata
        from trafilatura.settings import Extractor

        def extract(html: bytes, url: str | None) -> Output:
            text = trafilatura.extract(html, url=url, include_comments=False, **kwargs)
            return Output(text or "")

        def meta(html: bytes, url: str | None) -> Output:
            tree = trafilatura.load_html(html)
            if tree is None:
                return Output("")
            opts = Extractor(url=url, with_metadata=True)  # the call bare_extraction() makes
            doc = extract_metadata(tree, opts.url, opts.date_params, opts.fast, opts.author_blacklist)
            return Output("", _clean_title(doc.title), split_authors(doc.author), date_only(doc.date))

        return extract, (meta if not kwargs else None)

    return load


def _load_readability() -> tuple[ExtractFn, ExtractFn | None]:
    import html_text
    from readability import Document

    def extract(html: bytes, url: str | None) -> Output:
        doc = Document(html, url=url)
        summary = doc.summary(html_partial=True)
        return Output(html_text.extract_text(summary) if summary else "", _clean_title(doc.title()))

    return extract, None


def _load_newspaper() -> tuple[ExtractFn, ExtractFn | None]:
    import newspaper

    def extract(html: bytes, url: str | None) -> Output:
        art = newspaper.article(
            url or "http://localhost/article.html",
            input_html=decode_page(html),
            fetch_images=False,
            memorize_articles=False,
        )
        return Output(
            art.text or "", _clean_title(art.title), split_authors(art.authors), date_only(art.publish_date)
        )

    return extract, None


def _load_goose() -> tuple[ExtractFn, ExtractFn | None]:
    from goose3 import Goose

    goose = Goose({"enable_image_fetching": False})

    def extract(html: bytes, url: str | None) -> Output:
        art = goose.extract(url=None, raw_html=decode_page(html))
        date = date_only(art.publish_datetime_utc) or date_only(art.publish_date)
        return Output(art.cleaned_text or "", _clean_title(art.title), split_authors(art.authors), date)

    return extract, None


_JUSTEXT_LANGS = {
    "en": "English", "de": "German", "fr": "French", "es": "Spanish", "it": "Italian",
    "nl": "Dutch", "pt": "Portuguese", "pl": "Polish", "cs": "Czech", "sk": "Slovak",
    "sv": "Swedish", "da": "Danish", "no": "Norwegian_Bokmal", "nb": "Norwegian_Bokmal",
    "fi": "Finnish", "ru": "Russian", "uk": "Ukrainian", "tr": "Turkish", "hu": "Hungarian",
    "el": "Greek", "ro": "Romanian", "hr": "Croatian", "sl": "Slovenian", "bg": "Bulgarian",
    "ca": "Catalan", "id": "Indonesian", "vi": "Vietnamese", "et": "Estonian", "lt": "Lithuanian",
    "lv": "Latvian", "sr": "Serbian",
}  # fmt: skip


def _load_justext() -> tuple[ExtractFn, ExtractFn | None]:
    import justext

    available = set(justext.get_stoplists())
    stoplists: dict[str, frozenset[str]] = {}

    def stoplist(lang: str | None) -> frozenset[str]:
        name = _JUSTEXT_LANGS.get(lang or "", "English")
        name = name if name in available else "English"
        if name not in stoplists:
            stoplists[name] = justext.get_stoplist(name)
        return stoplists[name]

    def extract(html: bytes, url: str | None) -> Output:
        paragraphs = justext.justext(html, stoplist(page_lang(html)))
        return Output("\n\n".join(p.text for p in paragraphs if not p.is_boilerplate))

    return extract, None


def _load_boilerpy3() -> tuple[ExtractFn, ExtractFn | None]:
    from boilerpy3 import extractors

    extractor = extractors.ArticleExtractor(raise_on_failure=False)

    def extract(html: bytes, url: str | None) -> Output:
        return Output(extractor.get_content(decode_page(html)) or "")

    return extract, None


def _load_resiliparse() -> tuple[ExtractFn, ExtractFn | None]:
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.encoding import bytes_to_str, detect_encoding

    def extract(html: bytes, url: str | None) -> Output:
        text = extract_plain_text(bytes_to_str(html, detect_encoding(html)), main_content=True)
        return Output(text or "")

    return extract, None


def _load_html_text() -> tuple[ExtractFn, ExtractFn | None]:
    import html_text

    def extract(html: bytes, url: str | None) -> Output:
        return Output(html_text.extract_text(decode_page(html)) or "")

    return extract, None


_META = ("title", "authors", "date")
_ALL = (
    Adapter("newsclean", "newsclean", "`newsclean.clean(html_bytes, url=url)`, default options; "
            "text, title, authors, published from the Article", _newsclean(), _META),
    Adapter("newsclean-precision", "newsclean", "as newsclean, plus `Options(favor=\"precision\")`",
            _newsclean("precision")),
    Adapter("newsclean-recall", "newsclean", "as newsclean, plus `Options(favor=\"recall\")`",
            _newsclean("recall")),
    Adapter("trafilatura", "trafilatura",
            "`trafilatura.extract(html_bytes, url=url, include_comments=False)`; "
            "metadata: the `extract_metadata` call of `bare_extraction(with_metadata=True)`, "
            "made separately and untimed", _trafilatura(), _META),
    Adapter("trafilatura-precision", "trafilatura", "as trafilatura, plus `favor_precision=True`",
            _trafilatura(favor_precision=True)),
    Adapter("trafilatura-recall", "trafilatura", "as trafilatura, plus `favor_recall=True`",
            _trafilatura(favor_recall=True)),
    Adapter("readability-lxml", "readability-lxml", "`readability.Document(html_bytes, url=url)`; "
            "`.summary(html_partial=True)` to text with `html_text.extract_text`; title from `.title()`",
            _load_readability, ("title",)),
    Adapter("newspaper4k", "newspaper4k", "`newspaper.article(url, input_html=text, fetch_images=False, "
            "memorize_articles=False)` (download from the given HTML, then parse; no network, no NLP; "
            "extras zh, ja, nlp installed so Chinese, Japanese and Arabic pages work)",
            _load_newspaper, _META),
    Adapter("goose3", "goose3", "`Goose({'enable_image_fetching': False}).extract(raw_html=text)`; "
            "`.cleaned_text`, `.title`, `.authors`, `.publish_date`", _load_goose, _META),
    Adapter("justext", "jusText",
            "`justext.justext(html_bytes, get_stoplist(lang))`, lang from `<html lang>` "
            "(English if absent); non-boilerplate paragraphs joined", _load_justext),
    Adapter("boilerpy3", "boilerpy3",
            "`extractors.ArticleExtractor(raise_on_failure=False).get_content(text)`",
            _load_boilerpy3),
    Adapter("resiliparse", "resiliparse", "`extract_plain_text(bytes_to_str(html, detect_encoding(html)), "
            "main_content=True)`", _load_resiliparse),
    Adapter("html-text", "html-text", "`html_text.extract_text(text)`: all visible text, the floor",
            _load_html_text),
)  # fmt: skip

ADAPTERS: dict[str, Adapter] = {a.name: a for a in _ALL}
DEFAULT_EXTRACTORS: tuple[str, ...] = tuple(a.name for a in _ALL)
