"""A real SMS gateway for the tests: an HTTP server on a free local port that records what it
receives and answers as told (a status, or a delay that makes the client time out)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


class GatewayServer:
    def __init__(self):
        self.received: list[dict] = []
        self.answers: list[tuple[int, float]] = []  # (status, delay) per request; then 200
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with server._lock:
                    server.received.append(
                        {"headers": dict(self.headers), "body": json.loads(body or b"{}")}
                    )
                    status, delay = server.answers.pop(0) if server.answers else (200, 0)
                if delay:
                    threading.Event().wait(delay)
                try:
                    self.send_response(status)
                    self.end_headers()
                    self.wfile.write(b'{"ok": true}')
                except OSError:
                    pass  # the client gave up waiting

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/sms"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def keys(self) -> list[str]:
        return [r["headers"].get("Idempotency-Key") for r in self.received]

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def sms_gateway(settings):
    """The local gateway, with settings.WAIBAN_SMS pointing at it."""
    server = GatewayServer()
    settings.WAIBAN_SMS = {
        **settings.WAIBAN_SMS,
        "backend": "http",
        "url": server.url,
        "token": "test-token",
        "timeout": 1,
    }
    yield server
    server.close()
