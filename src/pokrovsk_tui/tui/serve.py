"""`pokrovsk serve`: the app in web browsers through textual-serve.

The page and its websocket are served only under host names that come from the server's
own configuration: the address it listens on, and for a loopback address also
``localhost``, ``127.0.0.1`` and ``[::1]``; for all interfaces (``0.0.0.0``, ``::``) also this
computer's name and addresses. So ``http://127.0.0.1:8000`` and ``http://localhost:8000``
(or a classroom address) both work, and each page gets the websocket address of the name
the browser used. A request with any other ``Host`` header is refused (421), so a foreign
web page cannot reach the server under a name it controls (DNS rebinding). The websocket
also checks its ``Origin`` header against those names and refuses any other (403): a page
of another site open in the same browser cannot start games or write saves here.
"""

from __future__ import annotations

import ipaddress
import socket

from aiohttp import web
from textual_serve.server import Server

_LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")


def _bracket(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def allowed_hosts(host: str, port: int) -> frozenset[str]:
    """The ``Host`` header values (``name:port``, lower case) this server answers to."""
    names = {_bracket(host)}
    if _is_loopback(host):
        names.update(_LOOPBACK_NAMES)
    if host in ("0.0.0.0", "::", ""):
        names.update(_LOOPBACK_NAMES)
        try:
            me = socket.gethostname()
            names.update({me, socket.getfqdn()})
            names.update(_bracket(str(info[4][0])) for info in socket.getaddrinfo(me, None))
        except OSError:
            pass
    out = {f"{n.lower()}:{port}" for n in names if n}
    if port == 80:
        out |= {n.lower() for n in names if n}
    return frozenset(out)


class PokrovskServer(Server):
    def __init__(self, *args, allowed: frozenset[str] = frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.allowed = allowed

    def _known_host(self, request) -> str | None:
        host = (request.host or "").lower()
        return host if host in self.allowed else None

    async def handle_index(self, request):
        host = self._known_host(request)
        if host is None:
            raise web.HTTPMisdirectedRequest(text="pokrovsk serve: unknown Host; open the address it printed\n")
        # built from the allowed names only; no await between this and the template's use of it
        self.public_url = f"{'https' if request.secure else 'http'}://{host}"
        return await super().handle_index(request)

    async def handle_websocket(self, request):
        origin = request.headers.get("Origin", "")
        scheme, _, rest = origin.partition("://")
        if self._known_host(request) is None or scheme not in ("http", "https") or rest.lower() not in self.allowed:
            raise web.HTTPForbidden(text="pokrovsk serve: websocket from a foreign origin refused\n")
        return await super().handle_websocket(request)


def make_server(command: str, *, host: str = "127.0.0.1", port: int = 8000) -> PokrovskServer:
    return PokrovskServer(command, host=host, port=port, title="Pokrovsk", allowed=allowed_hosts(host, port))
