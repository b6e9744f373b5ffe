"""Option parsing both commands share: the same flags mean the same thing in each.

``--rules FILE`` (repeatable), ``--favor`` and ``--timeout`` become the ``rules`` and
:class:`~newsclean.Options` of the library call.

>>> import argparse
>>> parser = argparse.ArgumentParser()
>>> add_cleaning_options(parser)
>>> rules, options = cleaning_options(parser.parse_args(["--favor", "precision", "--timeout", "5"]))
>>> rules is None, options.favor, options.timeout
(True, 'precision', 5.0)
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from newsclean.options import Options
from newsclean.rules import Rules

__all__ = [
    "DEFAULT_TIMEOUT", "add_cleaning_options", "cleaning_options", "overwrites_input", "parse_args",
    "positive_float", "positive_int", "write_whole",
]

DEFAULT_TIMEOUT = 60.0
"""Seconds each page may take, by default, in either command."""


def positive_int(value: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {number}")
    return number


def positive_float(value: str) -> float:
    """An argparse type: a number above 0."""
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not number > 0:
        raise argparse.ArgumentTypeError(f"must be positive, not {value}")
    return number


def add_cleaning_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--rules``, ``--favor`` and ``--timeout`` to ``parser``."""
    parser.add_argument(
        "--rules", metavar="FILE", action="append", help="extra rule pack (TOML); may be repeated"
    )
    parser.add_argument(
        "--favor",
        choices=("precision", "balanced", "recall"),
        default="balanced",
        help="trade recall for precision (default: balanced)",
    )
    parser.add_argument(
        "--timeout",
        type=positive_float,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"time limit for each page, in seconds: for cleaning it, and for downloading it when it is "
        f"a URL (default: {DEFAULT_TIMEOUT:g})",
    )


def cleaning_options(args: argparse.Namespace) -> tuple[Rules | None, Options]:
    """The ``rules`` (None: the shipped packs) and :class:`Options` the flags ask for.

    Raises :class:`~newsclean.RuleError` for a rules file that cannot be used.
    """
    rules = Rules.load(*args.rules) if args.rules else None
    return rules, Options(favor=args.favor, timeout=args.timeout)


def overwrites_input(output: str, inputs: list[str]) -> str | None:
    """The input that writing ``output`` would destroy, or None: the same path, the same
    file under another name (a symbolic or hard link: same device and inode), or
    ``output``'s partial file. Checked before anything is opened.

    >>> import tempfile, pathlib
    >>> page = pathlib.Path(tempfile.mkdtemp()) / "page.html"
    >>> _ = page.write_text("<p>x</p>")
    >>> overwrites_input(str(page), ["other.html", str(page.parent / "." / "page.html")]) is not None
    True
    >>> overwrites_input(str(page.parent / "out.jsonl"), [str(page)]) is None
    True
    """
    targets = [output, output + ".partial"]
    for source in inputs:
        if source == "-":
            continue
        for target in targets:
            if os.path.abspath(target) == os.path.abspath(source):
                return source
            try:
                if os.path.samefile(target, source):
                    return source
            except OSError:  # one of them does not exist: not the same file
                continue
    return None


def parse_args(parser: argparse.ArgumentParser, argv: list[str]) -> argparse.Namespace | int:
    """``parser.parse_args(argv)``, or the exit status argparse asked for (0 after ``--help``,
    2 for a usage error) instead of raising ``SystemExit``.

    >>> parser = argparse.ArgumentParser(prog="x")
    >>> parse_args(parser, [])
    Namespace()
    >>> parse_args(parser, ["--help"])  # doctest: +ELLIPSIS
    usage: x [-h]
    ...
    0
    """
    try:
        return parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else 2


def write_whole(path: str, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all: to ``path.partial``, then renamed.

    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "pack.toml"
    >>> write_whole(str(out), "x = 1"); out.read_text(), out.with_name("pack.toml.partial").exists()
    ('x = 1', False)
    """
    partial = f"{path}.partial"
    Path(partial).write_text(text, encoding="utf-8")
    os.replace(partial, path)
