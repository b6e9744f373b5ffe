"""The two entry points: :func:`clean` for a page, :func:`clean_text` for extracted text.

>>> page = '''<html><head><title>Storm | Daily Example</title>
... <meta property="og:site_name" content="Daily Example"></head><body><article>
... <h1>Storm hits the coast</h1>
... <p>A storm hit the coast on Monday night, cutting power to thousands of homes.</p>
... <figure><img src="/s.jpg">
... <figcaption>Waves at the pier (Photo by Jo Roe/Getty Images)</figcaption></figure>
... <p>Officials said repairs would take weeks and urged people to stay indoors.</p>
... <div class="related-stories"><h3>Related</h3><a href="/x">Another storm story</a></div>
... </article></body></html>'''
>>> article = clean(page, url="https://example.com/storm")
>>> print(article.text)
A storm hit the coast on Monday night, cutting power to thousands of homes.
<BLANKLINE>
Officials said repairs would take weeks and urged people to stay indoors.
>>> article.site_name, article.images[0].credit
('Daily Example', 'Jo Roe/Getty Images')
>>> clean(b"").reason
'empty input'
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Sequence

from selectolax.lexbor import LexborHTMLParser

from newsclean.article import Article, Block, Image, Removal
from newsclean.dates import date_clues, publication_date
from newsclean.decode import decode_html, sniff_binary, strip_controls
from newsclean.extract import extract_blocks, without_head
from newsclean.images import collect_images
from newsclean.limits import Deadline, TimedOut, bound_markup, cap_bytes
from newsclean.metadata import Metadata, read_metadata
from newsclean.options import Options
from newsclean.prune import prune, safe_prune
from newsclean.render import to_html
from newsclean.rules import Rules
from newsclean.standfirst import find_standfirst
from newsclean.textrules import apply_text_rules, tokens

__all__ = ["clean", "clean_text"]

_MIN_WORDS = 40  # below this, the safeguard retries with code-only pruning
_PAYWALL = re.compile(
    r"(?:subscribe|sign in|log in|register|become a (?:member|subscriber))"
    r".{0,60}(?:to (?:continue|read|unlock|keep reading)|for (?:full|unlimited) access)",
    re.IGNORECASE,
)
_XML_ROOT = re.compile(
    r"(?:<\?xml[^>]{0,500}>\s*)?(?:<!--.{0,2000}?-->\s*|<!DOCTYPE[^>]{0,1000}>\s*|<\?[^>]{0,500}>\s*)*"
    r"<([A-Za-z_][\w:.-]{0,60})",
    re.DOTALL | re.IGNORECASE,
)
_XML_TYPES = {"rss": "a feed (RSS/Atom)", "feed": "a feed (RSS/Atom)", "rdf:rdf": "a feed (RSS/Atom)",
              "urlset": "a sitemap", "sitemapindex": "a sitemap", "svg": "an SVG image"}


def _not_html(text: str) -> str | None:
    """Why this decoded input is not a page, or None if it may be one.

    >>> _not_html('{"title": "<b>x</b>"}'), _not_html('<?xml version="1.0"?><note>x</note>')
    ('input is JSON, not HTML', 'input is XML (root element <note>), not an HTML page')
    """
    head = text[:2048].lstrip("\ufeff \t\r\n")
    if not head:
        return "empty input"
    if head.count("\ufffd") > 64 and "<" not in head:
        return "input is binary, not HTML"
    if head.startswith(("{", "[")) and ("<" not in head[:200] or _is_json(text)):
        return "input is JSON, not HTML"
    root = _XML_ROOT.match(head)
    if root:
        name = root.group(1).lower()
        if name in _XML_TYPES:
            kind = _XML_TYPES[name]
            return f"input is {kind}, not an article page" if "feed" in kind else f"input is {kind}, not HTML"
        if head.startswith("<?xml") and name not in ("html", "head", "body"):
            return f"input is XML (root element <{root.group(1)}>), not an HTML page"
    if "<" not in text[:100_000]:
        return "input has no markup; use clean_text() for plain text"
    return None


def _is_json(text: str) -> bool:
    if len(text) > 5_000_000:
        return False
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return False
    return True


def _words(blocks: Sequence[Block]) -> int:
    return sum(len(b.text.split()) for b in blocks)


def _extract(tree: LexborHTMLParser, html: str, url: str | None, rules: Rules,
             meta: Metadata, options: Options) -> tuple[tuple[Block, ...], list[Removal], bool, str]:
    """trafilatura on the pruned ``tree`` (changed in place): the blocks, the removals, whether
    the safeguard stepped in, and the pruned page. ``html`` is kept for the safeguard, which
    re-reads the page with only code removed when pruning left too little text."""
    removed = prune(tree, rules.compile(url, meta.site_name))
    pruned = tree.html or ""
    blocks = extract_blocks(without_head(tree, pruned), url, options)
    if _words(blocks) >= _MIN_WORDS:
        return blocks, removed, False, pruned
    fallback_tree = LexborHTMLParser(html)
    safe_removed = safe_prune(fallback_tree, rules.compile(url))
    fallback = extract_blocks(without_head(fallback_tree, fallback_tree.html or ""), url, options)
    if _words(fallback) > 2 * max(_words(blocks), 10):
        return fallback, safe_removed, True, pruned
    return blocks, removed, False, pruned


def _strip_lead(blocks: list[Block], title: str | None, description: str | None,
                removed: list[Removal]) -> list[Block]:
    """Drop a leading repeat of the title, and the standfirst (it goes to ``description``)."""
    title_tokens = tokens(title or "")
    desc_tokens = tokens(description or "")
    while blocks and blocks[0].kind in ("heading", "paragraph"):
        head = tokens(blocks[0].text)
        if title_tokens and head == title_tokens:
            removed.append(Removal("text.title", "title", blocks[0].text))
        elif blocks[0].kind == "heading" and desc_tokens and len(head) >= 5 and (
                head == desc_tokens or " ".join(head) in " ".join(desc_tokens)):
            removed.append(Removal("text.standfirst", "standfirst", blocks[0].text))
        else:
            break
        blocks = blocks[1:]
    return blocks


def _with_standfirst(tree: LexborHTMLParser, blocks: list[Block],
                     extracted: Sequence[Block], title: str | None) -> list[Block]:
    """Put back a lead paragraph the extractor skipped (see :mod:`newsclean.standfirst`),
    unless it is the title again."""
    first = next((b.text for b in extracted if b.kind == "paragraph" and len(b.text) >= 40), None)
    lead = find_standfirst(tree, first) if first else None
    if lead is None:
        return blocks
    key = " ".join(tokens(lead))
    have = " ".join(" ".join(tokens(b.text)) for b in extracted)
    if key[:80] in have or key in " ".join(tokens(title or "")):
        return blocks
    return [Block("paragraph", lead), *blocks]


def _live_blocks(meta: Metadata) -> list[Block]:
    out: list[Block] = []
    for entry in meta.live_entries:
        if entry.headline and entry.headline not in entry.text:
            out.append(Block("heading", entry.headline, level=3, time=entry.time))
        out.append(Block("entry", entry.text, time=entry.time))
    return out


def clean(
    html: str | bytes,
    url: str | None = None,
    *,
    rules: Rules | None = None,
    options: Options | None = None,
) -> Article:
    """Clean one page: the article's text, metadata, images and what was removed.

    Never raises for bad markup or bad bytes: an Article with empty text and a
    ``reason`` comes back instead. ``html`` may be ``str`` or undecoded ``bytes``.
    """
    if not isinstance(html, (str, bytes, bytearray, memoryview)):
        raise TypeError(f"clean() takes the page as str or bytes, not {type(html).__name__}")
    options = options or Options()
    rules = rules or Rules.default()
    started = time.monotonic()
    extra: dict[str, object] = {}
    data, cut = cap_bytes(bytes(html) if isinstance(html, (bytearray, memoryview)) else html,
                          options.max_bytes)
    if cut:
        extra["truncated"] = True
    try:
        reason = sniff_binary(data)
        text = "" if reason else decode_html(data)
        reason = reason or _not_html(text)
        bounded = bound_markup(text, options) if not reason else None
        if bounded is not None:
            if bounded.truncated:
                extra["truncated"] = True
            if bounded.flattened:
                extra["flattened"] = "nesting too deep: tags that nest were dropped, text kept"
            reason = bounded.refused
        if reason or bounded is None:
            return Article(url=url, reason=reason, is_article=False, extra=extra)
        return _clean_page(bounded.markup, url, rules, options, extra, started)
    except TimedOut as exc:
        return Article(url=url, reason=str(exc), is_article=False, extra=extra)
    except RecursionError:
        return Article(url=url, reason="page is nested too deeply to process", is_article=False,
                       extra=extra)
    except Exception as exc:  # the promise: clean() never raises on page content
        return Article(url=url, reason=f"could not process page ({type(exc).__name__}: {exc})",
                       is_article=False, extra=extra)


def _clean_page(text: str, url: str | None, rules: Rules, options: Options,
                extra: dict[str, object], started: float) -> Article:
    deadline = Deadline(started, options.timeout)
    tree = LexborHTMLParser(text)
    meta = read_metadata(tree, url)
    clues = date_clues(tree, url)  # before pruning changes the tree
    images = collect_images(tree, url)
    if meta.lead_image and all(i.url != meta.lead_image for i in images):
        images.insert(0, Image(meta.lead_image))
    elif meta.lead_image:
        images.sort(key=lambda i: i.url != meta.lead_image)
    # Publisher packs are chosen by host: the URL given, else the page's own canonical URL
    # (so a saved page, `newsclean page.html`, still gets its publisher's rules).
    page_url = url or meta.canonical_url
    deadline.check("extraction")
    extracted, removed, safeguard, pruned = _extract(tree, text, page_url, rules, meta, options)
    deadline.check("text rules")
    if safeguard:
        extra["safeguard"] = "structural rules backed off: they left too little text"
    site_name = meta.site_name
    blocks = list(extracted)
    live = _live_blocks(meta)
    use_live = bool(live) and _words(live) >= _words(blocks) * 0.5
    if use_live:
        blocks = live
    title = meta.title
    description = meta.description
    blocks = _strip_lead(blocks, title, description, removed)
    if not safeguard and not use_live:
        blocks = _with_standfirst(tree, blocks, extracted, title)
    blocks, text_removed = apply_text_rules(blocks, rules, url=page_url, site_name=site_name)
    removed += text_removed
    authors = meta.authors
    words = _words(blocks)
    paywalled = meta.paywalled
    is_article = meta.page_type is None and words > 0
    reason = None
    if not blocks:
        if paywalled or any(_PAYWALL.search(r.text) for r in removed):
            paywalled, reason = True, "only a paywall or subscription prompt; no article text"
        else:
            reason = "no article text found"
    elif meta.page_type:
        reason = f"not an article: the page describes itself as a {meta.page_type}"
    if options.timeout is not None and time.monotonic() - started > options.timeout:
        extra["slow"] = round(time.monotonic() - started, 3)
    return Article(
        url=url,
        canonical_url=meta.canonical_url,
        title=title,
        description=description,
        authors=authors,
        published=publication_date(meta.published, clues, pruned, text, url),
        modified=meta.modified,
        site_name=site_name,
        language=meta.language,
        lead_image=meta.lead_image or (images[0].url if images else None),
        tags=meta.tags,
        blocks=tuple(blocks),
        images=tuple(images),
        html=to_html(blocks),
        removed=tuple(removed),
        is_article=is_article,
        paywalled=paywalled,
        reason=reason,
        extra=extra,
    )


def clean_text(
    text: str,
    *,
    url: str | None = None,
    site_name: str | None = None,
    rules: Rules | None = None,
    options: Options | None = None,
) -> Article:
    """Clean text another tool extracted badly: each non-empty line is a block.

    >>> leaky = "Storm hits the coast\\nGetty\\nA storm hit the coast on Monday.\\nMost Read"
    >>> clean_text(leaky).text
    'A storm hit the coast on Monday.'
    """
    if not isinstance(text, str):
        raise TypeError(f"clean_text() takes str, not {type(text).__name__}")
    options = options or Options()
    rules = rules or Rules.default()
    text = strip_controls(str(cap_bytes(text, options.max_bytes)[0]))
    blocks = [Block("paragraph", " ".join(line.split())) for line in text.splitlines() if line.strip()]
    if not blocks:
        return Article(url=url, site_name=site_name, reason="empty input", is_article=False)
    kept, removed = apply_text_rules(blocks, rules, url=url, site_name=site_name)
    return Article(
        url=url,
        site_name=site_name,
        blocks=tuple(kept),
        html=to_html(kept),
        removed=tuple(removed),
        reason=None if kept else "every line was furniture",
        is_article=bool(kept),
    )
