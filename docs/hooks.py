"""mkdocs hooks (see mkdocs.yml): parts of pages generated from the code at build time.

``<!-- shipped-rules -->`` on a line of its own, indented or not, becomes the table of
every rule in the packs that ship with newsclean, so the table cannot go stale.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from typing import Any

_MARKER = re.compile(r"^(?P<indent>[ \t]*)<!-- shipped-rules -->[ \t]*$", re.MULTILINE)


def _shipped_rules() -> str:
    root = str(Path(__file__).resolve().parents[1])
    if root not in sys.path:  # build from a checkout without installing newsclean
        sys.path.insert(0, root)
    spec = importlib.util.spec_from_file_location("gen_examples", Path(__file__).with_name("gen_examples.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return str(module.shipped_rules())


def on_page_markdown(markdown: str, **kwargs: Any) -> str:
    if "<!-- shipped-rules -->" not in markdown:
        return markdown
    table = _shipped_rules()

    def indented(match: re.Match[str]) -> str:
        indent = match.group("indent")
        return "\n".join(indent + line if line else line for line in table.splitlines())

    return _MARKER.sub(indented, markdown)
