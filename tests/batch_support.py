"""Helpers shared by the batch tests: fixture pages, the shared corpora, WARC building."""

from __future__ import annotations

import gzip
import io
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures" / "batch"

# (file, url, charset declared in the HTTP header)
FIXTURE_PAGES = [
    ("harbour-bridge.html", "https://coastal.example/news/harbour-bridge-repairs", "utf-8"),
    ("boulangerie.html", "https://village.example/boulangerie", None),
    ("buecherei.html", "https://stadt.example/buecherei", "iso-8859-1"),
    ("live-results.html", "https://news.example/election-live", "utf-8"),
]


def corpora_path() -> Path:
    """Where the shared corpora are looked for: $NEWSCLEAN_CORPORA, else ../shared/corpora."""
    env = os.environ.get("NEWSCLEAN_CORPORA")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "shared" / "corpora"


def corpora_dir() -> Path | None:
    """The shared corpora folder, or None when this clone has none beside it."""
    path = corpora_path()
    return path if (path / "README.md").exists() else None


def corpus_pages(name: str, limit: int | None = None) -> Iterator[tuple[str, str | None, bytes]]:
    """(id, url, html bytes) of one shared corpus, in truth.jsonl order."""
    root = corpora_dir()
    assert root is not None
    with open(root / name / "truth.jsonl", encoding="utf-8") as handle:
        for n, line in enumerate(handle):
            if limit is not None and n >= limit:
                return
            truth = json.loads(line)
            data = gzip.decompress((root / name / "pages" / f"{truth['id']}.html.gz").read_bytes())
            yield truth["id"], truth["url"], data


def fixture_pages() -> list[tuple[str, str | None, bytes, str | None]]:
    """(id, url, html bytes, declared charset) of the hand-written fixture pages."""
    return [(name, url, (FIXTURES / name).read_bytes(), cs) for name, url, cs in FIXTURE_PAGES]


def _chunked(body: bytes, size: int = 300) -> bytes:
    out = b""
    for start in range(0, len(body), size):
        piece = body[start : start + size]
        out += b"%x\r\n%s\r\n" % (len(piece), piece)
    return out + b"0\r\n\r\n"


def write_warc(
    path: Path,
    pages: Iterable[tuple[str | None, bytes, str | None]],
    *,
    noise: bool = True,
    encode_every: int = 3,
) -> list[tuple[str, str | None, bytes]]:
    """Write ``pages`` (url, body, charset) as HTML response records of a WARC.

    Every ``encode_every``-th body is sent gzip content-encoded and the one after it
    chunked, as crawlers store them. With ``noise``, each page is preceded by its
    request record and followed by a non-HTML response, which readers must skip.
    Returns (WARC-Record-ID, url, original body) of the HTML records, in order.
    """
    pytest.importorskip("warcio", reason="needs the warc extra: pip install -e '.[warc]'")
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    written: list[tuple[str, str | None, bytes]] = []
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=str(path).endswith(".gz"))
        for n, (url, body, charset) in enumerate(pages):
            target = url or f"https://example.invalid/page/{n}"
            content_type = "text/html" + (f"; charset={charset}" if charset else "")
            headers = [("Content-Type", content_type)]
            payload = body
            if encode_every and n % encode_every == 1:
                headers.append(("Content-Encoding", "gzip"))
                payload = gzip.compress(body)
            elif encode_every and n % encode_every == 2:
                headers.append(("Transfer-Encoding", "chunked"))
                payload = _chunked(body)
            if noise:
                request = writer.create_warc_record(
                    target,
                    "request",
                    payload=io.BytesIO(b""),
                    http_headers=StatusAndHeaders(
                        "GET / HTTP/1.1", [("Host", "example.invalid")], is_http_request=True
                    ),
                )
                writer.write_record(request)
            record = writer.create_warc_record(
                target,
                "response",
                payload=io.BytesIO(payload),
                http_headers=StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1"),
            )
            writer.write_record(record)
            written.append((record.rec_headers.get_header("WARC-Record-ID"), url, body))
            if noise:
                image = writer.create_warc_record(
                    target + ".png",
                    "response",
                    payload=io.BytesIO(b"\x89PNG\r\n\x1a\n" + bytes(64)),
                    http_headers=StatusAndHeaders(
                        "200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1"
                    ),
                )
                writer.write_record(image)
    return written
