"""Command line entry point (minimal dispatcher; the CLI helper's version replaces it)."""

from __future__ import annotations

import sys

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    """Dispatch ``newsclean batch ...`` to :func:`newsclean.cli.batch.main`."""
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["batch"]:
        from newsclean.cli.batch import main as batch_main

        return batch_main(args[1:])
    print("usage: newsclean batch INPUT... -o OUTPUT", file=sys.stderr)
    return 2
