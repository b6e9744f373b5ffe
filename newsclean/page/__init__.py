"""Cleaning one page: the pipeline and its stages, one module each.

In the order data flows (:mod:`~newsclean.page.pipeline` calls them):
:mod:`~newsclean.page.sniff` and :mod:`~newsclean.page.decode` (bytes to text),
:mod:`~newsclean.page.limits` (bounds on the work), :mod:`~newsclean.page.metadata`
with :mod:`~newsclean.page.title`, :mod:`~newsclean.page.authors` and
:mod:`~newsclean.page.dates`, :mod:`~newsclean.page.images`,
:mod:`~newsclean.page.body` (:mod:`~newsclean.page.prune`,
:mod:`~newsclean.page.normalize`, :mod:`~newsclean.page.extract` with
:mod:`~newsclean.page.blocks`), :mod:`~newsclean.page.lead`,
:mod:`~newsclean.page.textrules`, and :mod:`~newsclean.page.assemble`.
Shared node helpers live in :mod:`~newsclean.page.dom`.

Knows nothing of fetching or batches.
"""
