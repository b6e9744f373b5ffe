"""The public surface, pinned."""

import newsclean


def test_public_names_are_pinned():
    assert newsclean.__all__ == sorted(newsclean.__all__)
    for name in newsclean.__all__:
        assert hasattr(newsclean, name), name
    core = {"Article", "Block", "Image", "Removal", "Options", "Rules", "clean", "clean_text",
            "NewscleanError", "RuleError", "FetchError", "__version__"}
    assert core <= set(newsclean.__all__)


def test_every_error_is_a_newsclean_error():
    errors = [getattr(newsclean, n) for n in newsclean.__all__ if n.endswith("Error")]
    assert all(issubclass(e, newsclean.NewscleanError) for e in errors)
    assert issubclass(newsclean.HTTPStatusError, newsclean.FetchError)


def test_results_and_options_are_frozen():
    import dataclasses

    import pytest

    for value in (newsclean.Article(), newsclean.Options(), newsclean.Block("paragraph", "x")):
        with pytest.raises(dataclasses.FrozenInstanceError):
            value.title = "changed"  # type: ignore[misc]


# -- importing newsclean changes nothing of anyone else's -------------------------------------

_LIBRARIES = ("trafilatura", "htmldate", "lxml", "selectolax", "httpx", "justext", "courlan",
              "charset_normalizer")
_OURS_ON_FIRST_USE = ("newsclean.web", "newsclean.bulk", "newsclean.cli")

_SNAPSHOT = r"""
import json, logging, sys

LIBRARIES, LAZY = sys.argv[1].split(","), tuple(sys.argv[2].split(","))

def modules():
    # every attribute of every loaded module of those libraries, by identity
    return {name: {k: id(v) for k, v in vars(module).items()}
            for name, module in list(sys.modules.items())
            if module is not None and name.split(".")[0] in LIBRARIES}

def loggers():
    # every logger's level, switch, propagation and handlers
    found = {"": logging.root}
    found.update((n, lg) for n, lg in logging.root.manager.loggerDict.items()
                 if isinstance(lg, logging.Logger))
    return {n: [lg.level, lg.disabled, lg.propagate, [id(h) for h in lg.handlers]]
            for n, lg in found.items()}

# The libraries first, used once, so that their own first-use set-up is done before the snapshot.
import httpx, lxml.etree, lxml.html, selectolax.lexbor, trafilatura, htmldate
PAGE = ("<html><head><title>Storm</title><meta property='article:published_time' content='2021-03-03'>"
        "</head><body><article><h1>Storm hits the coast</h1><p>" + "A storm hit the coast on Monday. " * 12
        + "</p><p>Officials said repairs would take weeks.</p></article></body></html>")
trafilatura.bare_extraction(PAGE, with_metadata=True)
htmldate.find_date(PAGE, extensive_search=True)
before_modules, before_loggers = modules(), loggers()

import newsclean
after_import = sorted(m for m in sys.modules if m.startswith(LAZY))
article = newsclean.clean(PAGE, url="https://example.com/2021/03/03/storm")
newsclean.clean_text("Storm hits the coast\nA storm hit the coast on Monday.")
import newsclean.web.api, newsclean.bulk.pool, newsclean.cli

after_modules, after_loggers = modules(), loggers()
print(json.dumps({
    "replaced": sorted(f"{name}.{attr}" for name, attrs in before_modules.items()
                       for attr, ident in attrs.items() if after_modules.get(name, {}).get(attr) != ident),
    "loggers_changed": sorted(n for n, state in before_loggers.items() if after_loggers.get(n) != state),
    "loggers_set": sorted(n for n, state in after_loggers.items()
                          if n not in before_loggers and (state[0] != logging.NOTSET or state[3])),
    "imported_by_import": after_import,
    "text": article.text[:40],
}))
"""


def _run(code: str, *args: str) -> object:
    import json
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_import_and_use_replace_nothing_in_other_libraries_and_set_no_logger() -> None:
    seen = _run(_SNAPSHOT, ",".join(_LIBRARIES), ",".join(_OURS_ON_FIRST_USE))
    assert isinstance(seen, dict) and seen["text"].startswith("A storm hit the coast")
    assert seen["replaced"] == [], "newsclean replaced attributes of another library's modules"
    assert seen["loggers_changed"] == [], "newsclean changed a logger it does not own"
    assert seen["loggers_set"] == [], "newsclean gave a new logger a level or a handler"
    assert seen["imported_by_import"] == [], "import newsclean imported web/, bulk/ or cli/"


def test_import_newsclean_stays_light() -> None:
    """Fetching, batches, the CLI and the heavy extraction libraries load on first use only."""
    heavy = ("trafilatura", "htmldate", "dateparser", "httpx", "tenacity", "protego", "pebble", "tqdm")
    code = ("import json, sys, newsclean\n"
            "heavy, ours = tuple(sys.argv[1].split(',')), tuple(sys.argv[2].split(','))\n"
            "print(json.dumps(sorted(m for m in sys.modules\n"
            "                        if m.split('.')[0] in heavy or m.startswith(ours))))")
    assert _run(code, ",".join(heavy), ",".join(_OURS_ON_FIRST_USE)) == []
