"""A griffe extension for the API reference: show newsclean's reST-flavoured docstrings well.

The docstrings are written for doctest and for reading in a terminal: ``>>>`` examples,
``:class:`Article``` roles, ``::`` literal blocks. Rendered as markdown, ``>>>`` would
become nested block quotes. This extension, loaded by mkdocstrings (see mkdocs.yml),
rewrites each docstring for the site only:

- a run of doctest lines (from a ``>>>`` line to the next blank line) becomes a fenced
  ``pycon`` code block;
- ``:class:`~pkg.Name``` and the other Sphinx roles become code spans (``Name``);
- a line holding only ``::`` is dropped, and a line ending in ``::`` ends in ``:``
  (the indented block after it is a code block in markdown too).

The docstrings in the source stay as they are; doctests still run on them.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_ROLE = re.compile(r":(?:class|func|meth|mod|attr|exc|data|obj):`(~?)([^`]+)`")


def _role(match: re.Match[str]) -> str:
    name = match.group(2)
    if match.group(1):
        name = name.rsplit(".", 1)[-1]
    return f"`{name}`"


def markdown(docstring: str) -> str:
    r"""The docstring with doctest runs fenced, roles as code spans, ``::`` resolved.

    >>> markdown("Use :class:`~newsclean.Article`::\n\n>>> 1 + 1\n2\n\nDone.").splitlines()
    ['Use `Article`:', '', '```pycon', '>>> 1 + 1', '2', '```', '', 'Done.']
    """
    out: list[str] = []
    in_doctest = False
    indent = ""
    for line in docstring.splitlines():
        stripped = line.strip()
        if in_doctest and not stripped:
            out.append(indent + "```")
            in_doctest = False
        if not in_doctest and stripped.startswith(">>>"):
            indent = line[: len(line) - len(line.lstrip())]
            out.append(indent + "```pycon")
            in_doctest = True
        if in_doctest:
            out.append(line)
            continue
        if stripped == "::":
            continue
        line = _ROLE.sub(_role, line)
        if line.endswith("::"):
            line = line[:-1]
        out.append(line)
    if in_doctest:
        out.append(indent + "```")
    return "\n".join(out)


class DoctestToMarkdown(griffe.Extension):
    """Rewrite every docstring of the loaded package with :func:`markdown`."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        seen: set[int] = set()
        stack: list[griffe.Object | griffe.Alias] = [pkg]
        while stack:
            obj = stack.pop()
            if obj.is_alias or id(obj) in seen:
                continue
            seen.add(id(obj))
            if obj.docstring is not None:
                obj.docstring.value = markdown(obj.docstring.value)
            stack.extend(obj.members.values())
