"""The last stage: metadata, body blocks, images and removals become one :class:`~newsclean.Article`.

Decides what a pipeline filters on: ``is_article``, ``paywalled`` and the ``reason``
when there is no text (a paywall prompt, a page of another kind, or nothing found).

>>> from newsclean.page.kind import Kind
>>> from newsclean.page.metadata import Metadata
>>> article = assemble(Metadata(title="Storm"), [], [Removal("x", "line", "Subscribe to continue reading")],
...                    [], None, Kind("article", 2.0), url=None, diagnostics=Diagnostics())
>>> article.is_article, article.paywalled, article.reason
(False, True, 'only a paywall or subscription prompt; no article text')
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from newsclean.article import Article, Block, Diagnostics, Image, Removal
from newsclean.page.kind import Kind
from newsclean.page.metadata import Metadata
from newsclean.page.strings import scrub_article
from newsclean.render import to_html

__all__ = ["assemble"]

_PAYWALL = re.compile(
    r"(?:subscribe|sign in|log in|register|become a (?:member|subscriber))"
    r".{0,60}(?:to (?:continue|read|unlock|keep reading)|for (?:full|unlimited) access)",
    re.IGNORECASE,
)


def assemble(meta: Metadata, blocks: Sequence[Block], removed: Sequence[Removal], images: Sequence[Image],
             published: str | None, kind: Kind, *, url: str | None, diagnostics: Diagnostics) -> Article:
    """The Article for one page, every string in it scrubbed
    (:func:`~newsclean.page.strings.scrub_article`); ``kind`` (:mod:`newsclean.page.kind`)
    decides ``is_article``."""
    paywalled = meta.paywalled
    reason = None
    if not blocks:
        if paywalled or any(_PAYWALL.search(r.text) for r in removed):
            paywalled, reason = True, "only a paywall or subscription prompt; no article text"
        else:
            reason = "no article text found"
    elif not kind.is_article:
        reason = kind.reason
    return scrub_article(Article(
        url=url,
        canonical_url=meta.canonical_url,
        title=meta.title,
        description=meta.description,
        authors=meta.authors,
        published=published,
        modified=meta.modified,
        site_name=meta.site_name,
        language=meta.language,
        lead_image=meta.lead_image or (images[0].url if images else None),
        tags=meta.tags,
        blocks=tuple(blocks),
        images=tuple(images),
        html=to_html(blocks),
        removed=tuple(removed),
        is_article=kind.is_article and any(b.text.split() for b in blocks),
        paywalled=paywalled,
        reason=reason,
        diagnostics=diagnostics,
    ))
