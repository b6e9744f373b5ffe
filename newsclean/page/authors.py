"""Authors: person names from JSON-LD, ``<meta>`` tags or the page's byline, cleaned.

>>> from selectolax.lexbor import LexborHTMLParser
>>> page = LexborHTMLParser('<body><p class="byline">By Jane Doe - Apr 5</p><p>Text.</p></body>')
>>> find_authors([], [], page)
('Jane Doe',)
"""

from __future__ import annotations

import re
from itertools import islice

from selectolax.lexbor import LexborHTMLParser, LexborNode

from newsclean.page.dom import distinct, node_text

__all__ = ["clean_authors", "find_authors"]

_AGENCIES = re.compile(
    r"^(?:by )?(?:reuters|associated press|ap|afp|agence france[- ]presse|pa(?: media| wire)?|"
    r"press association|dpa|apa|epa|efe|ansa|anp|belga|sda|xinhua|bloomberg|"
    r"staff(?: writer| reporter)?s?|editorial(?: staff| team)?|newsroom|redaktion|red|"
    r"agenturen|agencies|agency|wire services?|news desk|web desk|admin|administrator|"
    r"[\w .&-]{0,40}(?:news(?:room|desk)?|media|press|group|network|agency|team|staff|"
    r"online|digital|magazine|times|post|journal|herald|gazette|tribune|daily))$",
    re.IGNORECASE,
)


# Byline elements, surest first (the class and id names of WordPress, Drupal, Newspaper
# and most CMS themes): an explicit author link or name, then anything named "author". Each is
# the CSS attribute selector it stands for (``_BYLINE_NODES``): "=" the value, "*=" a value
# holding it, "~=" a value with it as a word, "" the attribute present.
_BYLINE_TESTS: tuple[tuple[tuple[str, str, str], ...], ...] = (
    (("rel", "=", "author"), ("itemprop", "=", "author"), ("class", "*=", "author-name"),
     ("class", "*=", "authorName"), ("class", "*=", "AuthorName"), ("class", "*=", "author_name"),
     ("class", "~=", "author"), ("id", "=", "author"), ("class", "*=", "byline"), ("class", "*=", "Byline"),
     ("data-author", "", "")),
    (("class", "*=", "author"), ("class", "*=", "Author"), ("id", "*=", "author"), ("class", "*=", "autor"),
     ("class", "*=", "Autor"), ("itemprop", "*=", "author")),
)
_BYLINE_NODES = tuple(", ".join(f"[{name}{how}{value}]" for name, how, value in tests)
                      for tests in _BYLINE_TESTS)
# Every element either list matches, in one query: each of their selectors implies one of these
# (a class holding "author-name", "authorName", "author" or "Author" holds "uthor"; "autor" and
# "Autor", "utor"; "byline" and "Byline", "yline"; an itemprop or id equal to "author" holds it;
# Lexbor compares these values case-sensitively, in quirks mode too). Lexbor tries each selector
# of a list on every element: the two lists' 17 cost 0.77 ms a page of the trafilatura corpus,
# these 7 0.28 ms, and each list's own tests are then made in Python on the few candidates
# (:func:`_byline_match`; 0.49 -> 0.35 ms/page for the byline search over the corpus).
_BYLINE_CANDIDATES = ("[rel=author], [itemprop*=author], [class*=uthor], [class*=utor], [class*=yline], "
                      "[id*=author], [data-author]")
_CASELESS = frozenset({"rel"})  # attributes whose value HTML (and Lexbor) compares in any case
_HTML_WHITESPACE = re.compile(r"[ \t\n\f\r]+")
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
    text = node_text(node)
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


def _byline_match(attributes: dict[str, str | None], tests: tuple[tuple[str, str, str], ...]) -> bool:
    """Whether an element with these ``attributes`` matches any of the attribute ``tests``, as
    Lexbor matches the selectors they stand for.

    >>> surest = _BYLINE_TESTS[0]
    >>> _byline_match({"rel": "Author"}, surest), _byline_match({"class": "x  author"}, surest)
    (True, True)
    >>> _byline_match({"class": "AUTHOR"}, surest), _byline_match({"data-author": None}, surest)
    (False, True)
    """
    for name, how, value in tests:
        if name not in attributes:
            continue
        if not how:
            return True
        found = attributes[name] or ""
        if name in _CASELESS:
            found = found.lower()
        if found == value if how == "=" else value in found if how == "*=" else \
                value in _HTML_WHITESPACE.split(found):
            return True
    return False


def _bylines(tree: LexborHTMLParser) -> list[str]:
    """Names from the page's first byline element (and its siblings: one link per author),
    surest selectors first; the first 30 elements each list matches."""
    body = tree.body
    if body is None:
        return []
    candidates = [(node, node.attributes) for node in distinct(body.css(_BYLINE_CANDIDATES))]
    for tests in _BYLINE_TESTS:
        found: list[str] = []
        parent = None
        for node in islice((node for node, attrs in candidates if _byline_match(attrs, tests)), 30):
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


_NOT_A_NAME = re.compile(r"[\d→←»«›‹©#:：<>\[\]{}=+*!?]")
# "Lena Brandt, CNN", "Jo Roe, MS, RD": an outlet or a degree beside a name, not a person (but
# initials alone may be the author's signature)
_ACRONYM = re.compile(r"^[A-Z]{2,6}$")


def clean_authors(names: list[str]) -> tuple[str, ...]:
    """Person names only: split lists, drop "By", URLs, agencies and organisations.

    A name equal to the site's is kept (personal blogs); publisher-like names
    ("… News", "… Media") are dropped as organisations.

    >>> clean_authors(["By Jane Doe and John Roe", "Reuters", "https://x.com/jd", "Jane Doe"])
    ('Jane Doe', 'John Roe')
    >>> clean_authors(["Lena Brandt, CNN"]), clean_authors(["JGD"])  # initials alone may sign a piece
    (('Lena Brandt',), ('JGD',))
    """
    out: dict[str, None] = {}
    acronyms: dict[str, None] = {}
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
            if _ACRONYM.match(name):
                acronyms.setdefault(name, None)
                continue
            if not re.search(r"[^\W\d_]", name) or _NOT_A_NAME.search(name):
                continue
            out.setdefault(name, None)
    return tuple(out or acronyms)



_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")  # names written without spaces


def find_authors(declared: list[str], meta_names: list[str], tree: LexborHTMLParser) -> tuple[str, ...]:
    """The article's authors: the ``declared`` names (JSON-LD), else the names in author
    ``<meta>`` tags, else the byline element's.

    A one-word value in a ``<meta>`` tag is usually a handle or the site, so only names
    with a space (or written in a script without spaces) count there; a one-word byline
    in the page still does.
    """
    return (
        clean_authors(declared)
        or clean_authors([a for a in meta_names if " " in a.strip() or _CJK.search(a)])
        or clean_authors(_bylines(tree))
    )
