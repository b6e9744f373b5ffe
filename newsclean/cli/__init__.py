"""The ``newsclean`` command: a thin layer over the library that maps errors to exit codes.

``newsclean batch ...`` runs :mod:`newsclean.cli.batch`, ``newsclean learn ...``
:mod:`newsclean.cli.learn`, ``newsclean explain ...`` :mod:`newsclean.cli.explain` and
``newsclean rules ...`` :mod:`newsclean.cli.rules`; everything else is ``newsclean
SOURCE...`` (:mod:`newsclean.cli.clean`). Exit codes: 0 all sources succeeded, 1 some
failed (one line each on stderr), 2 usage error.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Sequence
from typing import cast

__all__ = ["SUBCOMMANDS", "main"]

SUBCOMMANDS = {
    "batch": "newsclean.cli.batch",
    "learn": "newsclean.cli.learn",
    "explain": "newsclean.cli.explain",
    "rules": "newsclean.cli.rules",
}
"""The subcommands, by the first argument, and the module that runs each."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default ``sys.argv[1:]``); returns the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in SUBCOMMANDS:
        # Imported only for this subcommand, so `newsclean URL` never pays for it.
        module = importlib.import_module(SUBCOMMANDS[args[0]])
        command = cast(Callable[[list[str]], int], module.main)
        return command(args[1:])
    from newsclean.cli.clean import main as clean_main

    return clean_main(args)
