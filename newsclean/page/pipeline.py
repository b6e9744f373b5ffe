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

import time
from dataclasses import replace

from selectolax.lexbor import LexborHTMLParser

from newsclean.article import Article, Block, Diagnostics
from newsclean.options import Options
from newsclean.page.assemble import assemble
from newsclean.page.body import find_body, live_blocks, word_count
from newsclean.page.dates import date_clues, publication_date
from newsclean.page.decode import decode_with_source, strip_controls
from newsclean.page.dumps import unpack_code
from newsclean.page.images import article_images
from newsclean.page.kind import page_kind, page_signals
from newsclean.page.kindrules import apply_kind_rules
from newsclean.page.lead import missing_standfirst
from newsclean.page.limits import Deadline, TimedOut, bound_markup, cap_bytes, flatten
from newsclean.page.metadata import read_metadata
from newsclean.page.sniff import not_html, sniff_binary
from newsclean.page.strings import scrub_article
from newsclean.page.textmode import analyse
from newsclean.page.textrules import apply_text_rules, merge_split_paragraphs, strip_lead, strip_title_repeats
from newsclean.render import to_html
from newsclean.rules import Rules

__all__ = ["clean", "clean_text"]


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
    data, cut = cap_bytes(bytes(html) if isinstance(html, (bytearray, memoryview)) else html,
                          options.max_bytes)
    diagnostics = Diagnostics(truncated=cut)
    try:
        reason = sniff_binary(data)
        text, encoded = ("", None) if reason else decode_with_source(data)
        reason = reason or not_html(text)
        bounded = bound_markup(text, options) if not reason else None
        if bounded is not None:
            diagnostics = replace(diagnostics, truncated=cut or bounded.truncated,
                                  flattened=bounded.flattened)
            reason = bounded.refused
        if reason or bounded is None:
            return _refused(url, reason, diagnostics)
        try:
            return _clean_page(bounded.markup, url, rules, options, diagnostics, started,
                               encoded if bounded.markup is text else None)
        except RecursionError:  # a tree deeper than the walks can follow: flattened, cleaned again
            if bounded.flattened:
                raise
            flat, reason = flatten(bounded.markup)
            diagnostics = replace(diagnostics, flattened=True)
            if reason:
                return _refused(url, reason, diagnostics)
            return _clean_page(flat, url, rules, options, diagnostics, started)
    except TimedOut as exc:
        return _refused(url, str(exc), diagnostics)
    except RecursionError:
        return _refused(url, "page is nested too deeply to process", diagnostics)
    except Exception as exc:  # the promise: clean() never raises on page content
        return _refused(url, f"could not process page ({type(exc).__name__}: {exc})", diagnostics)


def _refused(url: str | None, reason: str | None, diagnostics: Diagnostics) -> Article:
    """The Article of a page that gave no text, and why."""
    return scrub_article(Article(url=url, reason=reason, is_article=False, diagnostics=diagnostics))


def _clean_page(text: str, url: str | None, rules: Rules, options: Options,
                diagnostics: Diagnostics, started: float, encoded: bytes | None = None) -> Article:
    """The stages, in order, on decoded and bounded markup (``encoded``: it in UTF-8, if at hand)."""
    deadline = Deadline(options.timeout, started=started)
    tree = LexborHTMLParser(text if encoded is None else encoded)  # the bytes selectolax would make of it
    meta = read_metadata(tree, url)
    clues = date_clues(tree, url, meta.jsonld_published, meta.meta_tags)  # before pruning changes the tree
    images = article_images(tree, url, meta.lead_image)
    signals = page_signals(tree, text, encoded)  # before pruning: prices, forms, code blocks...
    # Publisher packs are chosen by host: the URL given, else the page's own canonical URL
    # (so a saved page, `newsclean page.html`, still gets its publisher's rules).
    page_url = url or meta.canonical_url
    deadline.check("extraction")
    body = find_body(tree, text, page_url, rules, meta.site_name, options, deadline)
    deadline.check("text rules")
    blocks, code_removed = unpack_code(body.blocks)  # markup or JSON an extractor gave as text
    removed = list(body.removed) + code_removed
    live = live_blocks(meta)
    use_live = bool(live) and word_count(live) >= word_count(blocks) * 0.5
    if use_live:
        blocks = live
    blocks = strip_lead(blocks, meta.title, meta.description, removed)
    blocks = strip_title_repeats(blocks, meta.title, removed)
    lead = missing_standfirst(tree, body.blocks, meta.title) if not body.safeguard and not use_live else None
    if lead:  # the article's text too: the corpora's truths hold it (moving it out cost recall)
        blocks.insert(0, Block("paragraph", lead))
        meta = replace(meta, description=meta.description or lead)
    blocks, text_removed = apply_text_rules(blocks, rules, url=page_url, site_name=meta.site_name,
                                            deadline=deadline)
    removed += text_removed
    published = publication_date(meta.published, clues, body.tree, text, url)
    spent = time.monotonic() - started
    slow = round(spent, 3) if options.timeout is not None and spent > options.timeout else None
    diagnostics = replace(diagnostics, safeguard=body.safeguard, slow=slow, extractor=body.extractor,
                          fallback=body.why,
                          truncated=diagnostics.truncated or body.truncated)
    kind = page_kind(signals, meta, page_url, blocks, published, options.favor)
    blocks, kind_removed = apply_kind_rules(blocks, rules, kind, url=page_url)
    removed += kind_removed
    return assemble(meta, blocks, removed, images, published, kind, url=url, diagnostics=diagnostics)


def clean_text(
    text: str,
    *,
    url: str | None = None,
    site_name: str | None = None,
    rules: Rules | None = None,
    options: Options | None = None,
) -> Article:
    """Clean text another tool extracted badly, or a whole page's visible text: find the article's
    lines, read its header into ``title``, ``description`` and ``authors``, cut comment threads
    and teaser lists, then apply the text rules (text mode: :mod:`newsclean.page.textmode`).

    Each non-empty line is a block. Bounded by the same options as :func:`clean`: ``max_bytes``
    cuts the text, ``max_nodes`` its lines (``diagnostics.truncated``), and past ``timeout`` the
    Article is empty with a ``reason``.

    >>> leaky = "Storm hits the coast\\nGetty\\nA storm hit the coast on Monday.\\nMost Read"
    >>> clean_text(leaky).text
    'A storm hit the coast on Monday.'
    >>> clean_text("First line.\\nSecond line.", options=Options(max_nodes=1)).diagnostics.truncated
    True
    """
    if not isinstance(text, str):
        raise TypeError(f"clean_text() takes str, not {type(text).__name__}")
    options = options or Options()
    rules = rules or Rules.default()
    deadline = Deadline(options.timeout)
    capped, cut = cap_bytes(text, options.max_bytes)
    text = strip_controls(str(capped))
    blocks = [Block("paragraph", " ".join(line.split())) for line in text.splitlines() if line.strip()]
    if len(blocks) > options.max_nodes:
        blocks, cut = blocks[: options.max_nodes], True
    diagnostics = Diagnostics(truncated=cut)
    if not blocks:
        return scrub_article(Article(url=url, site_name=site_name, reason="empty input", is_article=False,
                                     diagnostics=diagnostics))
    try:
        found = analyse(blocks, rules, url=url, site_name=site_name, deadline=deadline)
    except TimedOut as exc:
        return scrub_article(Article(url=url, site_name=site_name, reason=str(exc), is_article=False,
                                     diagnostics=diagnostics))
    kept = merge_split_paragraphs([b for b, g in zip(blocks, found.gone, strict=True) if g is None])
    header = found.header
    return scrub_article(Article(
        url=url,
        title=header.title,
        description=header.description,
        authors=header.authors,
        site_name=site_name or header.site_name,
        blocks=tuple(kept),
        html=to_html(kept),
        removed=tuple(g for g in found.gone if g is not None),
        reason=None if kept else "every line was furniture",
        is_article=bool(kept),
        diagnostics=diagnostics,
    ))
