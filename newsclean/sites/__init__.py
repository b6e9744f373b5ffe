"""Above one page: rules learned from a site's other pages (:func:`~newsclean.sites.learning.learn`).

A site's template repeats on every page while its articles differ, so the blocks that recur
across a site's pages, and are not article text, are its furniture: written down as an
ordinary rule pack (``learned = true``) that a person can read, edit and commit. The batch
layer (:mod:`newsclean.bulk`) uses it to learn each host's rules during a run.
"""
