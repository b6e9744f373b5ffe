"""The ``newsclean`` command: a thin layer over the library that maps errors to exit codes.

``newsclean batch ...`` runs :mod:`newsclean.cli.batch`; everything else is
``newsclean SOURCE...`` (:mod:`newsclean.cli.clean`). Exit codes: 0 all sources
succeeded, 1 some failed (one line each on stderr), 2 usage error.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Sequence
from typing import cast

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default ``sys.argv[1:]``); returns the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "batch":
        # Imported only for this subcommand, so `newsclean URL` never pays for it.
        batch = importlib.import_module("newsclean.cli.batch")
        batch_main = cast(Callable[[list[str]], int], batch.main)
        return batch_main(args[1:])
    from newsclean.cli.clean import main as clean_main

    return clean_main(args)
