#!/usr/bin/env python3
"""Prove the lower bounds in pyproject.toml: install every dependency AT its lower bound, run the tests.

1. Reads ``[project].dependencies`` from pyproject.toml (tomllib + ``packaging``) and writes a
   constraints file with one ``name==lower-bound`` line per dependency (a dependency without a
   ``>=``, ``~=`` or ``==`` bound is an error: "any version" is never true).
2. Makes a fresh venv, installs this project with those constraints (pip's resolver then either
   finds a set in which every direct dependency sits at its bound, or fails: a bound that
   contradicts another dependency's own requirements fails here too), plus pytest and hypothesis.
3. Checks that every direct dependency really is at its bound, then runs the core test modules:
   those that need none of the optional extras (warc, parquet, spark, http2, cache, docs).

Exit status: 0 when the bounds hold; 1 when a test fails; 2 when the bounds cannot be installed.

Usage::

    python .ci/min_versions.py                      # what .ci/run does
    python .ci/min_versions.py --set selectolax==0.4.3 --set httpx==0.26.0   # try other versions
    python .ci/min_versions.py --constraints-only   # print the constraints file and stop
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

from packaging.requirements import Requirement  # in any venv with pytest, which needs it
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]

# The test modules that need only the core dependencies (plus pytest and hypothesis; their tests of the
# optional extras skip), and the page modules, whose doctests call selectolax, lxml and trafilatura.
# Left out, to keep this run short: test_memory, test_properties and test_quality_gate (slow, and about
# newsclean's own behaviour rather than its dependencies'), test_bench_metrics (the benchmark harness),
# test_spark (an extra).
CORE_TESTS = [
    "tests/test_api.py",
    "tests/test_batch.py",
    "tests/test_clean.py",
    "tests/test_cli.py",
    "tests/test_dates.py",
    "tests/test_decode.py",
    "tests/test_docs.py",
    "tests/test_extract.py",
    "tests/test_fetch.py",
    "tests/test_fetch_server.py",
    "tests/test_golden.py",
    "tests/test_hostile.py",
    "tests/test_images.py",
    "tests/test_limits.py",
    "tests/test_metadata.py",
    "tests/test_rules.py",
    "tests/test_sanitize.py",
    "tests/test_seed.py",
    "tests/test_sources.py",
    "tests/test_textrules.py",
    "newsclean/page",
]
TEST_TOOLS = ["pytest>=8.0", "hypothesis>=6.100"]


def lower_bounds(pyproject: Path) -> dict[str, str]:
    """``{name: lower bound}`` for every dependency of ``[project].dependencies`` that applies here."""
    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    bounds: dict[str, str] = {}
    for line in data["project"]["dependencies"]:
        req = Requirement(line)
        if req.marker is not None and not req.marker.evaluate():
            continue
        lows = [s.version for s in req.specifier if s.operator in (">=", "~=", "==")]
        if not lows:
            sys.exit(f"min-versions: {line!r} has no lower bound (>=, ~= or ==)")
        bounds[canonicalize_name(req.name)] = max(lows, key=Version)
    return bounds


def run(cmd: list[str], *, capture: bool = False, cwd: Path | None = None,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    print("+ " + " ".join(cmd), flush=True)
    return subprocess.run(cmd, text=True, check=False, capture_output=capture, cwd=cwd, env=env)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--venv", default=None, help="venv folder (default: a temporary one, removed after)")
    parser.add_argument("--set", action="append", default=[], metavar="NAME==VERSION",
                        help="install NAME at VERSION instead of its lower bound (to try candidates)")
    parser.add_argument("--constraints-only", action="store_true", help="print the constraints and stop")
    parser.add_argument("pytest_args", nargs="*", help="instead of the core test modules")
    args = parser.parse_args(argv)

    bounds = lower_bounds(ROOT / "pyproject.toml")
    for item in args.set:
        name, _, version = item.partition("==")
        bounds[canonicalize_name(name)] = version
    constraints = "".join(f"{name}=={version}\n" for name, version in sorted(bounds.items()))
    if args.constraints_only:
        print(constraints, end="")
        return 0

    started = time.monotonic()
    scratch = Path(tempfile.mkdtemp(prefix="newsclean-min-"))
    venv = Path(args.venv) if args.venv else scratch / "venv"
    try:
        (scratch / "constraints.txt").write_text(constraints, encoding="utf-8")
        print("min-versions: every direct dependency at its lower bound:\n" + constraints, flush=True)
        if run([sys.executable, "-m", "venv", "--clear", str(venv)]).returncode:
            return 2
        python = str(venv / "bin" / "python")
        pip = [python, "-m", "pip", "--disable-pip-version-check", "install", "-q"]
        # Built from a copy: pip builds a local project in place, and would leave build/ in the clone.
        source = scratch / "source"
        shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
            ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", "site", "results", ".*_cache",
            ".hypothesis"))
        constrained = ["-c", str(scratch / "constraints.txt")]
        # Pure Python (NEWSCLEAN_COMPILE=0): the tests run the clone's source, never the installed copy.
        installed = run([*pip, *constrained, str(source), *TEST_TOOLS], capture=True,
                        env={**os.environ, "NEWSCLEAN_COMPILE": "0"})
        if installed.returncode:
            said = installed.stdout + installed.stderr  # less pip's warnings about absent index folders
            print("\n".join(line for line in said.splitlines() if "is ignored: it is neither" not in line))
            print("min-versions: FAILED: the lower bounds cannot be installed together", flush=True)
            return 2
        listed = run([python, "-m", "pip", "list", "--format=json"], capture=True)
        have: dict[str, str] = {canonicalize_name(p["name"]): p["version"] for p in json.loads(listed.stdout)}
        off = {n: (v, have.get(n)) for n, v in bounds.items() if Version(have.get(n, "0")) != Version(v)}
        if off:
            for name, (want, got) in sorted(off.items()):
                print(f"min-versions: {name} is {got}, not its bound {want}", flush=True)
            return 2
        # From the clone, so the source is what is tested (the same code as the installed copy);
        # only the dependencies differ from the main run.
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        paths = args.pytest_args or CORE_TESTS
        tested = run([python, "-m", "pytest", "-q", "-p", "no:cacheprovider", *paths], cwd=ROOT, env=env)
        verdict = "pass" if tested.returncode == 0 else "FAILED"
        print(f"min-versions: tests at the lower bounds {verdict} ({time.monotonic() - started:.0f} s)")
        return 0 if tested.returncode == 0 else 1
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
