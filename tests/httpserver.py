"""A real HTTP server on 127.0.0.1, in the test process, that serves scripted answers."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass
class Answer:
    """One scripted response; hang=True accepts the request and never answers.

    The body is sent as given, so pre-encoded bytes (a gzip bomb) go out with whatever
    Content-Encoding the headers claim. The hostile knobs:

    - drip: seconds to wait before each byte of the status line and headers;
    - forever: after the body, send these bytes again and again until the client hangs up;
    - redirect: answer `status` (302 unless another 3xx is given) with this Location.
    """

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    length: bool = True  # False: no Content-Length, the body ends when the connection closes
    hang: bool = False
    drip: float = 0.0
    forever: bytes = b""
    redirect: str | None = None

    def head(self) -> bytes:
        """The status line and headers exactly as they go on the wire."""
        status = self.status if self.redirect is None or 300 <= self.status < 400 else 302
        headers = dict(self.headers)
        if self.redirect is not None:
            headers["Location"] = self.redirect
        if self.length and not self.forever:
            headers["Content-Length"] = str(len(self.body))
        # the handler hangs up after a hostile answer, and says so: a client that pooled the
        # connection would otherwise race the close on its next request
        headers.setdefault("Connection", "close")
        lines = [f"HTTP/1.1 {status} Hostile", *(f"{k}: {v}" for k, v in headers.items())]
        # latin-1, as http.server does: a test may send any byte in a header value
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


@dataclass
class Seen:
    path: str
    query: str
    headers: dict[str, str]


# An answer chosen by the query string, for APIs that serve many resources on one path
Responder = Callable[[str], Answer]


class Server:
    """Routes a path to a queue of answers; the last answer repeats. Records every request."""

    def __init__(self) -> None:
        self.routes: dict[str, list[Answer | Responder]] = {}
        self.requests: list[Seen] = []
        self.stop = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                server.requests.append(
                    Seen(parts.path, parts.query, {k.lower(): v for k, v in self.headers.items()})
                )
                queue = server.routes.get(parts.path) or [Answer(404, b"{}")]
                answer = queue.pop(0) if len(queue) > 1 else queue[0]
                if callable(answer):
                    answer = answer(parts.query)
                if answer.hang:
                    server.stop.wait(30)
                    return
                if answer.drip or answer.forever or answer.redirect is not None:
                    self.close_connection = True
                    with contextlib.suppress(OSError):  # the client hung up, as it should
                        self._hostile(answer)
                    return
                self.send_response(answer.status)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                if answer.length:
                    self.send_header("Content-Length", str(len(answer.body)))
                self.end_headers()
                self.wfile.write(answer.body)

            def _hostile(self, answer: Answer) -> None:
                head = answer.head()
                if answer.drip:
                    for byte in head:
                        if server.stop.wait(answer.drip):
                            return
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                else:
                    self.wfile.write(head)
                self.wfile.write(answer.body)
                while answer.forever and not server.stop.is_set():
                    self.wfile.write(answer.forever)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def route(self, path: str, *answers: Answer | Responder) -> str:
        self.routes[path] = list(answers)
        return self.url + path

    def hits(self, path: str) -> list[Seen]:
        return [r for r in self.requests if r.path == path]


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.fixture(name="server")
def server_fixture() -> Iterator[Server]:
    """Import this into a test module (it is registered under the name `server`)."""
    srv = Server()
    thread = threading.Thread(target=srv.httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield srv
    finally:
        srv.stop.set()
        srv.httpd.shutdown()
        srv.httpd.server_close()


TVMAZE_SEARCH = "/api/v1/singlesearch/shows"
TVMAZE_SHOW = "/api/v1/shows/53440"
TVMAZE_UPDATES = "/api/v1/updates/shows"


@pytest.fixture(name="tvmaze")
def tvmaze_fixture(server: Server, monkeypatch: pytest.MonkeyPatch) -> Server:
    """TVmaze under a path prefix, answering with the recorded Heartstopper responses.

    Import it together with server_fixture into a test module.
    """
    monkeypatch.setenv("HSTRACKER_TVMAZE_URL", server.url + "/api/v1/")
    server.route(TVMAZE_SEARCH, Answer(body=fixture_bytes("tvmaze/singlesearch.json")))
    server.route(TVMAZE_SHOW, Answer(body=fixture_bytes("tvmaze/show-embedded.json")))
    # the show's `updated`, as in show-embedded.json: unchanged since it was read
    server.route(TVMAZE_UPDATES, Answer(body=b'{"1": 1700000000, "53440": 1730000000}'))
    # the other sources answer on the same server, knowing nothing unless a test's own
    # wikidata or openlibrary fixture routes them
    monkeypatch.setenv("HSTRACKER_WIKIDATA_URL", server.url + "/")
    monkeypatch.setenv("HSTRACKER_OPENLIBRARY_URL", server.url)
    server.routes.setdefault("/w/api.php", [Answer(body=b'{"search": [], "success": 1}')])
    server.routes.setdefault("/search.json", [Answer(body=b'{"numFound": 0, "docs": []}')])
    return server
