"""The result types: :class:`Article` and its parts, frozen and JSON-serialisable.

>>> a = Article(title="Hello", blocks=(Block("heading", "Intro", level=2), Block("paragraph", "One.")))
>>> a.text
'Intro\\n\\nOne.'
>>> print(a.markdown)
# Hello
<BLANKLINE>
## Intro
<BLANKLINE>
One.
>>> Article.from_json(a.to_json()) == a
True
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field, fields
from functools import cached_property
from typing import Any, Literal

__all__ = ["Article", "Block", "BlockKind", "Diagnostics", "FetchInfo", "Image", "Removal", "markdown_text"]

BlockKind = Literal["heading", "paragraph", "quote", "list_item", "table", "code", "entry"]

# What a markdown renderer would turn into live HTML or a link: a "<" that opens a tag, a
# comment, a declaration or an autolink; an "&" that spells an entity (a renderer decodes
# it, also inside a link target: "&#106;avascript:"); and a link or image target, inline or
# in a reference definition, whose scheme is not http(s) or mailto.
_MD_TAG = re.compile(r"<(?=[A-Za-z/!?])")
_MD_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]{1,32};)")
_MD_LINK = re.compile(r"\]\(\s*<?\s*([A-Za-z][A-Za-z0-9+.-]*)\s*:")
_MD_REFERENCE = re.compile(r"^(\s{0,3})\[(?=[^\]]*\]:\s*<?\s*([A-Za-z][A-Za-z0-9+.-]*)\s*:)", re.MULTILINE)
_BACKTICKS = re.compile("`+")
_MD_SAFE_SCHEMES = frozenset({"http", "https", "mailto"})


def markdown_text(text: str) -> str:
    """``text`` made safe to embed in markdown: it renders as the same text, never as HTML
    or as a link to a ``javascript:``, ``data:`` or other non-web scheme.

    >>> markdown_text("<script>alert(1)</script> & AT&T &amp; more")
    '&lt;script>alert(1)&lt;/script> & AT&T &amp;amp; more'
    >>> markdown_text("[click](javascript:alert(1)) [ok](https://example.com) 1 < 2")
    '[click]\\\\(javascript:alert(1)) [ok](https://example.com) 1 < 2'
    """
    if "&" in text:
        text = _MD_ENTITY.sub("&amp;", text)
    if "<" in text:
        text = _MD_TAG.sub("&lt;", text)
    if "](" in text:
        text = _MD_LINK.sub(_unlink, text)
    if "]:" in text:
        text = _MD_REFERENCE.sub(_unreference, text)
    return text


def _unlink(match: re.Match[str]) -> str:
    if match.group(1).lower() in _MD_SAFE_SCHEMES:
        return match.group()
    return "]\\(" + match.group()[2:]


def _unreference(match: re.Match[str]) -> str:
    if match.group(2).lower() in _MD_SAFE_SCHEMES:
        return match.group()
    return match.group(1) + "\\["


@dataclass(frozen=True)
class Block:
    """One typed piece of the article body.

    ``level`` is the heading level (1-6) for headings, the nesting depth for list
    items; ``ordered`` marks items of numbered lists; ``time`` is the timestamp of a
    live-blog entry; ``rows`` holds a table's cells (``text`` then has them joined).
    """

    kind: BlockKind
    text: str
    level: int | None = None
    ordered: bool = False
    time: str | None = None
    rows: tuple[tuple[str, ...], ...] | None = None

    def to_markdown(self, index: int = 1) -> str:
        """This block as markdown; ``index`` numbers ordered list items.

        >>> Block("quote", "Words\\nmore").to_markdown()
        '> Words\\n> more'
        >>> Block("list_item", "b", ordered=True).to_markdown(2)
        '2. b'
        """
        text = markdown_text(self.text)
        if self.kind == "heading":
            return "#" * min(max(self.level or 2, 1), 6) + " " + text
        if self.kind == "quote":
            return "\n".join("> " + line for line in text.splitlines())
        if self.kind == "list_item":
            indent = "  " * max((self.level or 1) - 1, 0)
            return f"{indent}{index}. {text}" if self.ordered else f"{indent}- {text}"
        if self.kind == "code":
            # a fence longer than any run of backticks inside, so the code cannot close it
            fence = "`" * max(3, 1 + max((len(run) for run in _BACKTICKS.findall(self.text)), default=0))
            return f"{fence}\n{self.text}\n{fence}"
        if self.kind == "table" and self.rows:
            width = max(len(r) for r in self.rows)
            rows = [list(r) + [""] * (width - len(r)) for r in self.rows]
            cells = [[markdown_text(c).replace("|", "\\|").replace("\n", " ") for c in r] for r in rows]
            lines = ["| " + " | ".join(cells[0]) + " |", "|" + " --- |" * width]
            lines += ["| " + " | ".join(r) + " |" for r in cells[1:]]
            return "\n".join(lines)
        if self.kind == "entry" and self.time:
            return f"**{markdown_text(self.time)}** {text}"
        return text


@dataclass(frozen=True)
class Removal:
    """A piece taken out of the page: which ``rule`` (a stable id), its ``kind``, the ``text``."""

    rule: str
    kind: str
    text: str


@dataclass(frozen=True)
class Image:
    """An image of the article, with its caption and credit kept as data."""

    url: str
    alt: str | None = None
    caption: str | None = None
    credit: str | None = None


@dataclass(frozen=True)
class FetchInfo:
    """What fetching a page saw: the ``requested_url`` and the ``final_url`` after the
    ``redirects``, the ``status``, ``content_type`` and size in ``bytes`` of the answer, the
    seconds it took (``elapsed``) and whether it came ``from_cache``."""

    requested_url: str
    final_url: str
    status: int
    content_type: str | None = None
    redirects: tuple[str, ...] = ()
    bytes: int = 0
    from_cache: bool = False
    elapsed: float = 0.0


@dataclass(frozen=True)
class Diagnostics:
    """How a page was cleaned, beyond what it gave.

    ``truncated``: the input was longer than ``Options.max_bytes`` or held more tags than
    ``max_nodes``, and its tail was cut. ``flattened``: elements nested too deeply, so the
    tags that nest were dropped and their text kept. ``safeguard``: the structural rules
    left too little text and backed off (only code was removed). ``extractor``: which
    extractor gave the body, ``"native"`` (newsclean's own, on the parsed page) or
    ``"trafilatura"`` (when the native result was doubtful: ``fallback`` says why); None
    when nothing was extracted. ``slow``: the seconds the call took, when more than
    ``Options.timeout``. ``fetch``: what the download saw, for pages that
    :func:`~newsclean.fetch` got.

    >>> Diagnostics(truncated=True).truncated, Diagnostics().fetch is None
    (True, True)
    """

    truncated: bool = False
    flattened: bool = False
    safeguard: bool = False
    extractor: str | None = None
    fallback: str | None = None
    slow: float | None = None
    fetch: FetchInfo | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Diagnostics:
        """Rebuild from :func:`dataclasses.asdict` output; unknown keys are ignored."""
        known = {f.name for f in fields(cls)}
        kwargs = {k: v for k, v in data.items() if k in known}
        if isinstance(kwargs.get("fetch"), dict):
            fetch = dict(kwargs["fetch"])
            fetch["redirects"] = tuple(fetch.get("redirects") or ())
            kwargs["fetch"] = FetchInfo(**fetch)
        return cls(**kwargs)


_TUPLE_FIELDS = {"authors", "tags", "blocks", "images", "removed"}


@dataclass(frozen=True)
class Article:
    """A cleaned news article. Every entry point returns this same type.

    ``text`` (paragraphs joined by a blank line), ``markdown`` and ``word_count`` are
    derived from ``blocks``. ``reason`` says why ``text`` is empty when it is;
    ``diagnostics`` how the page was cleaned.
    """

    url: str | None = None
    canonical_url: str | None = None
    title: str | None = None
    description: str | None = None
    authors: tuple[str, ...] = ()
    published: str | None = None
    modified: str | None = None
    site_name: str | None = None
    language: str | None = None
    lead_image: str | None = None
    tags: tuple[str, ...] = ()
    blocks: tuple[Block, ...] = ()
    images: tuple[Image, ...] = ()
    html: str = ""
    removed: tuple[Removal, ...] = ()
    is_article: bool = True
    paywalled: bool = False
    reason: str | None = None
    diagnostics: Diagnostics = field(default=Diagnostics(), compare=False)

    @cached_property
    def text(self) -> str:
        """Plain text: blocks joined by a blank line, list items by a newline."""
        parts: list[str] = []
        previous: Block | None = None
        for block in self.blocks:
            line = f"{block.time} {block.text}" if block.kind == "entry" and block.time else block.text
            if previous and previous.kind == "list_item" and block.kind == "list_item":
                parts[-1] += "\n" + line
            else:
                parts.append(line)
            previous = block
        return "\n\n".join(parts)

    @cached_property
    def markdown(self) -> str:
        """Markdown: the title as ``#``, then the blocks with their structure. Text is escaped
        (:func:`markdown_text`) so it renders as text: no raw HTML, no unsafe links."""
        parts: list[str] = [f"# {markdown_text(self.title)}"] if self.title else []
        number = 0
        previous: Block | None = None
        for block in self.blocks:
            number = number + 1 if block.kind == "list_item" and block.ordered else 0
            rendered = block.to_markdown(number)
            if previous and previous.kind == "list_item" and block.kind == "list_item":
                parts[-1] += "\n" + rendered
            else:
                parts.append(rendered)
            previous = block
        return "\n\n".join(parts)

    @property
    def word_count(self) -> int:
        """Words in ``text`` (whitespace-separated)."""
        return len(self.text.split())

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of every field plus ``text``, ``markdown`` and ``word_count``."""
        data = asdict(self)
        data["text"] = self.text
        data["markdown"] = self.markdown
        data["word_count"] = self.word_count
        return data

    def to_json(self, **kwargs: Any) -> str:
        """``to_dict()`` as JSON (UTF-8 kept, not escaped)."""
        kwargs.setdefault("ensure_ascii", False)
        return json.dumps(self.to_dict(), **kwargs)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        """Rebuild an Article from :meth:`to_dict` output; derived and unknown keys are ignored."""
        known = {f.name for f in fields(cls)}
        kwargs: dict[str, Any] = {}
        for key, value in data.items():
            if key not in known:
                continue
            if key == "blocks":
                value = tuple(
                    Block(**{**b, "rows": tuple(map(tuple, b["rows"])) if b.get("rows") else None})
                    for b in value
                )
            elif key == "images":
                value = tuple(Image(**i) for i in value)
            elif key == "removed":
                value = tuple(Removal(**r) for r in value)
            elif key == "diagnostics":
                value = Diagnostics.from_dict(value or {})
            elif key in _TUPLE_FIELDS:
                value = tuple(value)
            kwargs[key] = value
        return cls(**kwargs)

    @classmethod
    def from_json(cls, text: str) -> Article:
        """Rebuild an Article from :meth:`to_json` output."""
        return cls.from_dict(json.loads(text))
