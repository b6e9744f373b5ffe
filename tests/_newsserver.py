"""A misbehaving news site on 127.0.0.1, run in a thread by the fetch and CLI tests.

Every route is a case the fetch layer must end properly; the server records what
it was asked and how much it sent, so tests can check nothing was read past a limit.
Every handler is bounded in time and bytes, and the server stops when the
context manager exits.
"""

from __future__ import annotations

import gzip
import threading
import time
import zlib
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
ARTICLE = (FIXTURES / "fetch-article.html").read_bytes()
FRENCH = (
    "<html><head><title>Le pont rouvre</title></head><body><article><h1>Le pont rouvre</h1>"
    "<p>Le caf\u00e9 du port a rouvert ses portes mardi, et la g\u00e9rante se r\u00e9jouit du retour "
    "des clients apr\u00e8s huit mois de travaux sur le pont.</p>"
    "<p>\u00ab C'est un soulagement \u00bb, a-t-elle d\u00e9clar\u00e9, en servant un caf\u00e9 \u00e0 "
    "2,50 \u20ac aux premiers habitu\u00e9s de la matin\u00e9e.</p></article></body></html>"
).encode("cp1252")
BOMB_MB = 50
ENDLESS_CAP = 200 * 1024 * 1024  # the endless body gives up after this, if nobody hung up
DRIP_CAP = 30.0  # seconds the slow drip keeps going, if nobody hung up


@dataclass
class State:
    """What the server saw."""

    hits: Counter[str] = field(default_factory=Counter)
    agents: list[str] = field(default_factory=list)
    sent: Counter[str] = field(default_factory=Counter)
    hung_up: dict[str, threading.Event] = field(
        default_factory=lambda: {"/endless": threading.Event(), "/drip": threading.Event()}
    )
    bomb: bytes = b""


def _make_bomb() -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = b"\0" * (1024 * 1024)
    return b"".join(packer.compress(zeros) for _ in range(BOMB_MB)) + packer.flush()


class Handler(BaseHTTPRequestHandler):
    state: State
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go in two writes: no 40 ms stalls

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def _send(
        self, status: int, body: bytes, content_type: str = "text/html; charset=utf-8", **headers: str
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)
        self.state.sent[self.path] += len(body)

    def do_GET(self) -> None:
        path = self.path
        hits = self.state.hits
        hits[path] += 1
        self.state.agents.append(self.headers.get("User-Agent", ""))
        if path == "/robots.txt":
            self._send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
        elif path in ("/article", "/private/page", "/counted") or path.startswith("/page/"):
            self._send(200, ARTICLE)
        elif path.startswith("/flaky"):
            if hits[path] < 3:
                self._send(503, b"busy", "text/plain")
            else:
                self._send(200, ARTICLE)
        elif path.startswith("/ratelimited"):
            if hits[path] < 2:
                self._send(429, b"slow down", "text/plain", Retry_After="1")
            else:
                self._send(200, ARTICLE)
        elif path.startswith("/chain/"):
            left = int(path.rsplit("/", 1)[1])
            target = f"/chain/{left - 1}" if left > 0 else "/article"
            self._send(302, b"", Location=target)
        elif path == "/loop/a":
            self._send(301, b"", Location="/loop/b")
        elif path == "/loop/b":
            self._send(301, b"", Location="/loop/a")
        elif path == "/pdf":
            self._send(200, b"%PDF-1.7\n" + b"\x00" * 100_000, "application/pdf")
        elif path == "/cp1252":
            self._send(200, FRENCH, "text/html; charset=windows-1252")
        elif path == "/bomb":
            self._send(200, self.state.bomb, Content_Encoding="gzip")
        elif path == "/gzipped":
            self._send(200, gzip.compress(ARTICLE), Content_Encoding="gzip")
        elif path == "/endless":
            self._endless()
        elif path == "/drip":
            self._drip()
        else:
            self._send(404, b"not found", "text/plain")

    def _stream_headers(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True

    def _endless(self) -> None:
        self._stream_headers()
        chunk = b"<p>" + b"x" * 65_533
        try:
            self.wfile.write(b"<html><body>")
            while self.state.sent["/endless"] < ENDLESS_CAP:
                self.wfile.write(chunk)
                self.state.sent["/endless"] += len(chunk)
        except OSError:
            self.state.hung_up["/endless"].set()

    def _drip(self) -> None:
        self._stream_headers()
        started = time.monotonic()
        try:
            self.wfile.write(b"<html><body><p>")
            self.wfile.flush()
            while time.monotonic() - started < DRIP_CAP:
                time.sleep(0.1)
                self.wfile.write(b"x")
                self.wfile.flush()
                self.state.sent["/drip"] += 1
        except OSError:
            self.state.hung_up["/drip"].set()


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients hanging up on the endless body and the drip is the point


@contextmanager
def news_server() -> Iterator[tuple[str, State]]:
    """Serve on 127.0.0.1 (a free port) in a thread; yields (base URL, state); stops on exit."""
    state = State(bomb=_make_bomb())
    handler = type("BoundHandler", (Handler,), {"state": state})
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
