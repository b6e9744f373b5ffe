"""The compiled build: a wheel built from this tree (``pip install .``, ``python -m build``) has
the page pipeline's stages compiled to C by mypyc, the same Articles in ~15% less time a page.

``NEWSCLEAN_COMPILE`` decides:

- unset: compile when building a wheel on CPython with a working C compiler and Python's headers
  (mypy, which holds mypyc, is a build requirement); anywhere else, or when compiling fails,
  say why on stderr and build pure Python. An editable install is always pure Python: its
  modules are the source files you edit.
- ``0``: pure Python, as pyproject.toml alone would build it.
- ``1``: compile, or fail the build.

The package's metadata is in pyproject.toml; this file only adds the compiled modules.
"""

from __future__ import annotations

import os
import platform
import sys
import tempfile
from pathlib import Path

from setuptools import setup
from setuptools.command.build_ext import build_ext
from setuptools.errors import CCompilerError, ExecError, PlatformError

# The stages of newsclean/page, the rules and their gate. Left interpreted: pipeline.py (the
# public entry, whose own TypeError messages callers see) and article.py (the results, pickled
# between processes). (mypyc refuses a lone surrogate in a literal: write it as re's escape.)
COMPILED = [
    "newsclean/anchors.py",
    "newsclean/rules.py",
    *(str(p) for p in sorted(Path("newsclean/page").glob("*.py"))
      if p.name not in ("__init__.py", "pipeline.py")),
]
# The setup.py commands that build a wheel or extensions; an editable install runs editable_wheel
# (or the old develop), and pip's metadata steps egg_info and dist_info: none of them compiles.
_BUILDS = {"bdist_wheel", "build", "build_ext", "install"}
_EDITABLE = {"editable_wheel", "develop"}


def _say(message: str) -> None:
    print(f"newsclean setup.py: {message}", file=sys.stderr)


def _mode(argv: list[str]) -> str:
    """``"required"``, ``"auto"`` or ``"off"``, from NEWSCLEAN_COMPILE and the command run."""
    value = os.environ.get("NEWSCLEAN_COMPILE", "").strip()
    if value == "1":
        return "required"
    if value not in ("", "0"):
        raise SystemExit(f"NEWSCLEAN_COMPILE must be 0 or 1, not {value!r}")
    if value == "0" or _EDITABLE & set(argv) or not _BUILDS & set(argv):
        return "off"
    if platform.python_implementation() != "CPython":
        _say(f"pure Python: mypyc compiles for CPython, not {platform.python_implementation()}")
        return "off"
    return "auto"


def _compiled_modules(mode: str) -> list:  # type: ignore[type-arg]
    if mode == "off":
        return []
    # The dependencies need not be installed to compile (pip's isolated build has only the build
    # requirements): untyped where missing, and the modules left interpreted not held to the
    # types (httpx's aliases in newsclean.web, say). pyproject's strict settings are for the type
    # check, not for the compiler.
    config = Path(tempfile.mkdtemp()) / "mypy.ini"
    config.write_text("[mypy]\nignore_missing_imports = True\n"
                      "[mypy-newsclean.web.*,newsclean.bulk.*,newsclean.cli.*,newsclean.sites.*]\n"
                      "ignore_errors = True\n", encoding="utf-8")
    try:
        from mypyc.build import mypycify

        return mypycify(["--config-file", str(config), *COMPILED], opt_level="3", group_name="newsclean")
    except (Exception, SystemExit) as exc:  # mypyc missing, or refusing this tree: a type error exits
        if mode == "required":
            raise SystemExit(f"NEWSCLEAN_COMPILE=1, but mypyc could not compile newsclean: {exc!r} "
                             "(pip install 'mypy>=1.10')") from exc
        _say(f"pure Python: mypyc could not compile newsclean ({exc!r})")
        return []


class BuildExt(build_ext):
    """build_ext that, unless compiling is required, leaves no compiled module behind when the C
    compiler fails (one missing would leave the others unable to import): the wheel is pure."""

    def run(self) -> None:
        try:
            super().run()
        except (CCompilerError, ExecError, PlatformError, OSError) as exc:
            if os.environ.get("NEWSCLEAN_COMPILE", "").strip() == "1":
                raise
            for ext in self.extensions:
                for path in {self.get_ext_fullpath(ext.name),
                             os.path.join(self.build_lib, self.get_ext_filename(ext.name))}:
                    if os.path.exists(path):
                        os.remove(path)
            _say(f"pure Python: the C compiler failed ({exc})")


setup(ext_modules=_compiled_modules(_mode(sys.argv)), cmdclass={"build_ext": BuildExt})
