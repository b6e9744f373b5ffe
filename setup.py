"""Optional compiled build: with ``NEWSCLEAN_COMPILE=1``, the page pipeline's stages are compiled
to C with mypyc (the same Articles, ~15% less time a page); without it, newsclean installs as
pure Python, as pyproject.toml alone would build it. mypyc comes with mypy, and compiling needs
a C compiler and Python's headers::

    pip install "mypy>=1.10" "setuptools>=77" wheel
    NEWSCLEAN_COMPILE=1 pip install --no-build-isolation .

The package's metadata is in pyproject.toml; this file only adds the compiled modules.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from setuptools import setup

# The stages of newsclean/page, the rules and their gate. Left interpreted: pipeline.py (the
# public entry, whose own TypeError messages callers see), decode.py and strings.py (mypyc
# refuses their surrogate literals), and article.py (the results, pickled between processes).
COMPILED = [
    "newsclean/anchors.py",
    "newsclean/rules.py",
    *(str(p) for p in sorted(Path("newsclean/page").glob("*.py"))
      if p.name not in ("__init__.py", "pipeline.py", "decode.py", "strings.py")),
]


def _compiled_modules() -> list:  # type: ignore[type-arg]
    if os.environ.get("NEWSCLEAN_COMPILE") != "1":
        return []
    try:
        from mypyc.build import mypycify
    except ImportError as exc:
        raise SystemExit("NEWSCLEAN_COMPILE=1 needs mypyc: pip install 'mypy>=1.10', then build with "
                         "--no-build-isolation") from exc
    # The dependencies need not be installed to compile: untyped where missing, and the modules
    # left interpreted not held to the types (httpx's aliases in newsclean.web, say). pyproject's
    # strict settings are for the type check, not for the compiler.
    config = Path(tempfile.mkdtemp()) / "mypy.ini"
    config.write_text("[mypy]\nignore_missing_imports = True\n"
                      "[mypy-newsclean.web.*,newsclean.bulk.*,newsclean.cli.*,newsclean.sites.*]\n"
                      "ignore_errors = True\n", encoding="utf-8")
    return mypycify(["--config-file", str(config), *COMPILED], opt_level="3", group_name="newsclean")


setup(ext_modules=_compiled_modules())
