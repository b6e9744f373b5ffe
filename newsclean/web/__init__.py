"""Fetching pages: polite, bounded HTTP (httpx + tenacity) that hands each page to the cleaner.

Layered over :mod:`newsclean.page`; knows nothing of batches. Modules, in the order a
URL passes through them: :mod:`~newsclean.web.api` (fetch, fetch_many and their async
twins), :mod:`~newsclean.web.session` (redirects, admission, retries),
:mod:`~newsclean.web.politeness` (robots.txt, per-host limits),
:mod:`~newsclean.web.addresses` (the private-address guard),
:mod:`~newsclean.web.transport` (the client) and :mod:`~newsclean.web.response`
(judging one answer).
"""
