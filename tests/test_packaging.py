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
            if f.is_file() and f.suffix not in (".py", ".pyc", ".so", ".pyd")  # modules, built in place too
            and "__pycache__" not in f.parts]
    assert data, "no data files found"
    unshipped = [str(f) for f in data if not any(f.match(g) and len(f.parts) == len(Path(g).parts)
                                                  for g in globs)]
    assert not unshipped, f"not in [tool.setuptools.package-data]: {unshipped}"


def _setup_py(monkeypatch: pytest.MonkeyPatch, compile_env: str | None, *commands: str,
              mypycify: object = None) -> tuple[dict[str, object], list[str]]:
    """setup.py run as the build runs it (``commands`` its arguments), with ``NEWSCLEAN_COMPILE`` set to
    ``compile_env``: what it passes to setup(), and its list of compiled modules. mypycify is stood
    in for (not run) by one that returns an extension per module, or by ``mypycify``."""
    import runpy
    import sys
    import types

    import setuptools

    called: dict[str, object] = {}
    monkeypatch.setattr(setuptools, "setup", lambda **kwargs: called.update(kwargs))
    mypyc_build = types.ModuleType("mypyc.build")
    mypyc_build.mypycify = mypycify or (  # type: ignore[attr-defined]
        lambda paths, **kwargs: [f"ext:{p}" for p in paths if p.endswith(".py")])
    monkeypatch.setitem(sys.modules, "mypyc.build", mypyc_build)
    if compile_env is None:
        monkeypatch.delenv("NEWSCLEAN_COMPILE", raising=False)
    else:
        monkeypatch.setenv("NEWSCLEAN_COMPILE", compile_env)
    monkeypatch.setattr(sys, "argv", ["setup.py", *commands])
    monkeypatch.chdir(ROOT)
    module = runpy.run_path(str(ROOT / "setup.py"))
    return called, list(module["COMPILED"])


@pytest.mark.parametrize(("compile_env", "commands", "compiled"), [
    (None, ["bdist_wheel", "--dist-dir", "x"], True),   # pip install . / python -m build: compiled
    (None, ["build_ext", "--inplace"], True),
    (None, ["editable_wheel", "--dist-info-dir", "x"], False),  # pip install -e .: the source files
    (None, ["egg_info"], False),                         # pip's metadata steps compile nothing
    (None, ["dist_info", "--output-dir", "x"], False),
    ("0", ["bdist_wheel"], False),
    ("1", ["egg_info"], True),
    ("1", ["editable_wheel"], True),
])
def test_which_builds_compile(monkeypatch: pytest.MonkeyPatch, compile_env: str | None,
                              commands: list[str], compiled: bool) -> None:
    called, modules = _setup_py(monkeypatch, compile_env, *commands)
    assert called["ext_modules"] == ([f"ext:{p}" for p in modules] if compiled else [])


def test_the_compiled_build_takes_the_stages_and_leaves_the_entry_interpreted(
        monkeypatch: pytest.MonkeyPatch) -> None:
    _, compiled = _setup_py(monkeypatch, None, "bdist_wheel")
    names = {Path(p).name for p in compiled}
    assert {"native.py", "prune.py", "textrules.py", "rules.py", "anchors.py", "kind.py"} <= names
    # the public entry keeps its own errors; the results are pickled
    assert not names & {"pipeline.py", "article.py", "__init__.py"}
    assert all((ROOT / p).is_file() for p in compiled)


def test_a_build_that_cannot_compile_is_pure_python_unless_compiling_is_required(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def refuses(paths: list[str], **kwargs: object) -> list[str]:
        raise SystemExit("error: newsclean/page/lead.py:135: internal error")  # as mypy exits

    called, _ = _setup_py(monkeypatch, None, "bdist_wheel", mypycify=refuses)
    assert called["ext_modules"] == []
    assert "pure Python: mypyc could not compile newsclean" in capsys.readouterr().err
    with pytest.raises(SystemExit, match="NEWSCLEAN_COMPILE=1, but mypyc could not compile"):
        _setup_py(monkeypatch, "1", "bdist_wheel", mypycify=refuses)
    with pytest.raises(SystemExit, match="must be 0 or 1"):
        _setup_py(monkeypatch, "yes", "bdist_wheel")


def test_a_failing_c_compiler_leaves_no_compiled_module_in_the_build(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The shims of two modules built, then the C compiler fails on the shared library: the shims
    # go too (they would not import without it), and the build goes on, pure.
    from setuptools import Distribution, Extension
    from setuptools.command.build_ext import build_ext
    from setuptools.errors import CompileError

    called, _ = _setup_py(monkeypatch, "0", "bdist_wheel")
    build_ext_class = called["cmdclass"]["build_ext"]  # type: ignore[index]
    extensions = [Extension(name, ["x.c"]) for name in ("newsclean.rules", "newsclean.page.native")]
    command = build_ext_class(Distribution({"ext_modules": extensions}))
    command.initialize_options()
    command.build_lib = str(tmp_path)
    command.finalize_options()
    built = [Path(command.get_ext_fullpath(ext.name)) for ext in extensions]

    def fails(self: build_ext) -> None:
        for path in built:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(b"\x7fELF")
        raise CompileError("gcc: internal compiler error")

    monkeypatch.setattr(build_ext, "run", fails)
    command.run()
    assert not any(path.exists() for path in built)
    assert "pure Python: the C compiler failed (gcc: internal compiler error)" in capsys.readouterr().err
    monkeypatch.setenv("NEWSCLEAN_COMPILE", "1")
    with pytest.raises(CompileError):
        command.run()
