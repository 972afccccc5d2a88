"""`pokrovsk serve`: the app in web browsers through textual-serve.

textual-serve writes the address of the page's websocket into the page from one fixed
public URL; here each page gets the address the browser itself used (``Host`` header), so
the same server works for ``http://127.0.0.1:8000`` and ``http://localhost:8000`` (or a
classroom address) without configuration.
"""

from __future__ import annotations

import re

from textual_serve.server import Server

_HOST = re.compile(r"^[A-Za-z0-9.\-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$")


class PokrovskServer(Server):
    async def handle_index(self, request):
        host = request.host or ""
        if _HOST.match(host):
            # no await between this and the template's use of it: one request at a time
            self.public_url = f"{'https' if request.secure else 'http'}://{host}"
        return await super().handle_index(request)


def make_server(command: str, *, host: str = "127.0.0.1", port: int = 8000) -> PokrovskServer:
    return PokrovskServer(command, host=host, port=port, title="Pokrovsk")
