"""Options for one cleaning call, as one frozen object.

>>> Options(favor="precision").favor
'precision'
>>> Options(max_bytes=0)
Traceback (most recent call last):
...
ValueError: max_bytes must be a positive number of bytes, not 0
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["Favor", "Options"]

Favor = Literal["precision", "balanced", "recall"]


@dataclass(frozen=True)
class Options:
    """How to clean a page.

    ``favor`` trades recall for precision like trafilatura's switches:
    ``"precision"`` drops anything doubtful, ``"recall"`` keeps anything plausible.
    ``max_bytes`` and ``max_nodes`` bound the work done on one page (larger input is
    truncated, and the Article says so in ``extra['truncated']``); ``timeout`` is a
    soft limit in seconds for the extraction step, checked between stages.
    """

    favor: Favor = "balanced"
    include_tables: bool = True
    include_comments: bool = False
    max_bytes: int = 10_000_000  # at ~1.5 s/MB of dense prose, fits the 30 s timeout
    max_nodes: int = 300_000
    timeout: float | None = 30.0

    def __post_init__(self) -> None:
        if self.favor not in ("precision", "balanced", "recall"):
            raise ValueError(
                f"favor must be 'precision', 'balanced' or 'recall', not {self.favor!r}"
            )
        if not isinstance(self.max_bytes, int) or self.max_bytes <= 0:
            raise ValueError(f"max_bytes must be a positive number of bytes, not {self.max_bytes!r}")
        if not isinstance(self.max_nodes, int) or self.max_nodes <= 0:
            raise ValueError(f"max_nodes must be a positive number of nodes, not {self.max_nodes!r}")
        if self.timeout is not None and self.timeout <= 0:
            raise ValueError(f"timeout must be positive seconds or None, not {self.timeout!r}")
