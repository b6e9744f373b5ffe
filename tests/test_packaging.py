"""What pyproject.toml promises: a lower bound for every dependency (.ci/min_versions.py installs
and tests them), a test extra that brings everything the suite needs, and the licence."""

from __future__ import annotations

import importlib.metadata
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _extra(name: str) -> list[Requirement]:
    """The requirements of an extra, with the project's own extras it names expanded."""
    out = []
    for line in PROJECT["optional-dependencies"][name]:
        req = Requirement(line)
        if req.name == PROJECT["name"]:
            out += [r for extra in sorted(req.extras) for r in _extra(extra)]
        else:
            out.append(req)
    return out


def test_every_dependency_has_a_lower_bound() -> None:
    for line in PROJECT["dependencies"]:
        req = Requirement(line)
        assert any(s.operator in (">=", "~=", "==") for s in req.specifier), f"{line}: no lower bound"


def test_the_test_extra_is_installed_so_no_test_of_an_extra_skips() -> None:
    """The suite's tests of the warc, parquet and spark extras skip without them: this test is
    what fails instead when ``pip install -e ".[test]"`` did not bring them."""
    missing = []
    for req in _extra("test"):
        try:
            version = importlib.metadata.version(req.name)
        except importlib.metadata.PackageNotFoundError:
            missing.append(f"{req} (not installed)")
            continue
        if not req.specifier.contains(version, prereleases=True):
            missing.append(f"{req} (installed: {version})")
    assert not missing, "pip install -e '.[test]' first: " + ", ".join(missing)


def test_licence_file_is_the_apache_2_text_pyproject_declares() -> None:
    assert PROJECT["license"] == "Apache-2.0" and PROJECT["license-files"] == ["LICENSE"]
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.split()[:4] == ["Apache", "License", "Version", "2.0,"]
    assert "END OF TERMS AND CONDITIONS" in text and len(text.splitlines()) == 202


def test_every_data_file_of_the_package_goes_into_the_wheel() -> None:
    # An editable install reads the source tree, so a data file missing from package-data
    # passes every test and breaks `pip install .` (kind.json once did: every page failed).
    globs = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))[
        "tool"]["setuptools"]["package-data"]["newsclean"]
    package = ROOT / "newsclean"
    data = [f.relative_to(package) for f in package.rglob("*")
            if f.is_file() and f.suffix not in (".py", ".pyc") and "__pycache__" not in f.parts]
    assert data, "no data files found"
    unshipped = [str(f) for f in data if not any(f.match(g) and len(f.parts) == len(Path(g).parts)
                                                  for g in globs)]
    assert not unshipped, f"not in [tool.setuptools.package-data]: {unshipped}"


def _setup_py(monkeypatch: pytest.MonkeyPatch,
              compile_env: str | None) -> tuple[dict[str, object], list[str]]:
    """setup.py run as the build runs it, with ``NEWSCLEAN_COMPILE`` set to ``compile_env``: what it
    passes to setup(), and its list of compiled modules (mypycify stood in for, not run)."""
    import runpy
    import sys
    import types

    import setuptools

    called: dict[str, object] = {}
    monkeypatch.setattr(setuptools, "setup", lambda **kwargs: called.update(kwargs))
    mypyc_build = types.ModuleType("mypyc.build")
    mypyc_build.mypycify = lambda paths, **kwargs: [f"ext:{p}" for p in paths if p.endswith(".py")]  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "mypyc.build", mypyc_build)
    if compile_env is None:
        monkeypatch.delenv("NEWSCLEAN_COMPILE", raising=False)
    else:
        monkeypatch.setenv("NEWSCLEAN_COMPILE", compile_env)
    monkeypatch.chdir(ROOT)
    module = runpy.run_path(str(ROOT / "setup.py"))
    return called, list(module["COMPILED"])


def test_a_plain_build_compiles_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    # pyproject.toml alone describes the package; setup.py adds extensions only when asked
    called, _ = _setup_py(monkeypatch, None)
    assert called == {"ext_modules": []}


def test_the_compiled_build_takes_the_stages_and_leaves_the_entry_interpreted(
        monkeypatch: pytest.MonkeyPatch) -> None:
    called, compiled = _setup_py(monkeypatch, "1")
    assert called["ext_modules"] == [f"ext:{p}" for p in compiled]
    names = {Path(p).name for p in compiled}
    assert {"native.py", "prune.py", "textrules.py", "rules.py", "anchors.py", "kind.py"} <= names
    # the public entry keeps its own errors; mypyc refuses surrogate literals; results are pickled
    assert not names & {"pipeline.py", "decode.py", "strings.py", "article.py", "__init__.py"}
    assert all((ROOT / p).is_file() for p in compiled)
