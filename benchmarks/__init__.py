"""newsclean's benchmark harness: quality, speed and memory against every peer, in one command.

    python -m benchmarks run [CORPUS...] [--extractors newsclean,trafilatura,...] [--out DIR]
                                       [--limit N] [--jobs N] [--docs docs/benchmarks.md]
    python -m benchmarks floors [--corpora DIR] [--margin 0.01] [--write]

Without CORPUS, ``run`` scores the small sample bundled in ``benchmarks/sample/``. See
``docs/benchmarks.md`` for the method, where the corpora come from, and the latest numbers.
"""
