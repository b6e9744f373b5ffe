"""The article as HTML: rendered from blocks, then sanitised with nh3.

>>> from newsclean.article import Block
>>> to_html([Block("heading", "Why", level=2), Block("paragraph", "<script>x</script> & more")])
'<h2>Why</h2>\\n<p>&lt;script&gt;x&lt;/script&gt; &amp; more</p>'
>>> sanitize('<p onclick="x()">Hi <a href="javascript:alert(1)">there</a><script>bad()</script></p>')
'<p>Hi <a rel="noopener noreferrer">there</a></p>'
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from urllib.parse import urljoin

import nh3

from newsclean.article import Block

__all__ = ["sanitize", "to_html"]

_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "em", "figcaption", "figure", "h1", "h2",
    "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "q", "s", "small",
    "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "time", "tr", "u", "ul",
}
_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "time": {"datetime"},
               "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}


def sanitize(html: str, base_url: str | None = None) -> str:
    """Keep only safe tags and attributes; ``http``/``https``/``mailto`` links made absolute."""

    def absolute(element: str, attribute: str, value: str) -> str | None:
        if attribute in ("href", "src"):
            value = urljoin(base_url or "", value.strip())
            if not value.lower().startswith(("http://", "https://", "mailto:")):
                return None
        return value

    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        attribute_filter=absolute,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def _lines(text: str) -> str:
    return "<br>".join(escape(line) for line in text.split("\n"))


def to_html(blocks: Sequence[Block]) -> str:
    """Semantic HTML for the blocks (text escaped), lists grouped, then sanitised."""
    out: list[str] = []
    open_list: str | None = None
    for block in blocks:
        if block.kind != "list_item" and open_list:
            out.append(f"</{open_list}>")
            open_list = None
        if block.kind == "list_item":
            tag = "ol" if block.ordered else "ul"
            if open_list != tag:
                if open_list:
                    out.append(f"</{open_list}>")
                out.append(f"<{tag}>")
                open_list = tag
            out.append(f"<li>{_lines(block.text)}</li>")
        elif block.kind == "heading":
            level = min(max(block.level or 2, 1), 6)
            out.append(f"<h{level}>{_lines(block.text)}</h{level}>")
        elif block.kind == "quote":
            out.append(f"<blockquote><p>{_lines(block.text)}</p></blockquote>")
        elif block.kind == "code":
            out.append(f"<pre><code>{escape(block.text)}</code></pre>")
        elif block.kind == "table" and block.rows:
            rows = "".join(
                "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in block.rows
            )
            out.append(f"<table><tbody>{rows}</tbody></table>")
        elif block.kind == "entry" and block.time:
            out.append(f'<p><time datetime="{escape(block.time)}">{escape(block.time)}</time> '
                       f"{_lines(block.text)}</p>")
        else:
            out.append(f"<p>{_lines(block.text)}</p>")
    if open_list:
        out.append(f"</{open_list}>")
    return sanitize("\n".join(out))
