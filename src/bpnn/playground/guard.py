"""What keeps a page on another site from using the playground.

- **Host**: a request is answered only when its Host header names the address
  served (127.0.0.1, localhost or the --host given, and the port). A site
  whose name an attacker points at 127.0.0.1 (DNS rebinding) sends its own name
  as Host and gets 403.
- **Origin**: a request that changes state (POST, PUT, DELETE, ...) is accepted
  only with the Origin of the playground's own page, or with no Origin at all:
  browsers always send one on such requests, so its absence means a client that
  is not a browser (curl, a script), which could reach the port anyway.
  A foreign Origin gets 403.

Both answers are one-line JSON, as every refusal of the playground is.
"""

from __future__ import annotations

import json

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def split_host(value):
    """("name", port or None) of a Host header or an Origin's netloc."""
    value = value.strip().lower()
    if value.startswith("["):  # [::1]:8000
        name, _, rest = value[1:].partition("]")
        port = rest[1:] if rest.startswith(":") else ""
    else:
        name, _, port = value.partition(":")
    return name, int(port) if port.isdigit() else None


class Served:
    """The address served: the host names a request may use, and the port
    (set once bound: port 0 picks a free one; None accepts any port)."""

    def __init__(self, host="127.0.0.1", port=None):
        self.port = port
        self.names = {host.lower().strip("[]")}
        if self.names & LOOPBACK or host in ("0.0.0.0", "::"):
            self.names |= LOOPBACK

    def allowed(self, value):
        if not value:
            return False
        name, port = split_host(value)
        if name not in self.names:
            return False
        if self.port is None:
            return True
        return port == self.port or (port is None and self.port == 80)


class Guard:
    """ASGI middleware: the Host and Origin checks before anything else runs."""

    def __init__(self, app, served):
        self.app, self.served = app, served

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        headers = {
            k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]
        }
        if not self.served.allowed(headers.get("host", "")):
            return await refuse(send, "this server answers only its own address")
        origin = headers.get("origin")
        if scope.get("method", "GET") not in SAFE_METHODS and origin is not None:
            scheme, _, netloc = origin.partition("://")
            if scheme != "http" or not self.served.allowed(netloc):
                return await refuse(send, f"requests from {origin} are not accepted")
        return await self.app(scope, receive, send)


async def refuse(send, message, status=403):
    body = json.dumps({"error": message}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
