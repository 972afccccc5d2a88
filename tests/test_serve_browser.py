"""`pokrovsk serve` in a real browser: headless Chromium opens the page served on 127.0.0.1
and the game's title screen reaches it. Driven over the DevTools protocol (aiohttp's
websocket client): the terminal is drawn on a canvas, so the test reads what the page's
websocket received from the app, and keeps a screenshot.

Skipped, saying why, when Chromium or textual-serve is not installed (.ci/run installs
Chromium when it can). Only loopback addresses are used; every wait is bounded."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time

import pytest

from pokrovsk_tui.cli import is_loopback

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_loopback_addresses():
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert is_loopback("127.3.2.1") and is_loopback("[::1]")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.10") and not is_loopback("example.org")


def test_serve_warns_when_not_bound_to_this_computer_only(monkeypatch, capsys):
    """The warning is printed before the server starts (the server itself is not run)."""
    import pokrovsk_tui.tui.serve as serve

    class Fake:
        def __init__(self, *a, **k):
            pass

        def serve(self):
            return None

    pytest.importorskip("textual_serve")
    monkeypatch.setattr(serve, "make_server", lambda *a, **k: Fake())
    from pokrovsk_tui.cli import main

    assert main(["serve", "--host", "0.0.0.0", "--port", "8123"]) == 0
    err = capsys.readouterr().err
    assert "WARNING: serving on 0.0.0.0" in err and "no password" in err
    assert main(["serve", "--port", "8123"]) == 0
    err = capsys.readouterr().err
    assert "WARNING" not in err and "http://127.0.0.1:8123/" in err


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium); "
                                             "the browser test of `pokrovsk serve` needs it")
def test_title_screen_in_headless_chromium(tmp_path):
    pytest.importorskip("textual_serve", reason="textual-serve is not installed")
    aiohttp = pytest.importorskip("aiohttp")
    port = free_port()
    env = dict(os.environ, POKROVSK_SAVE_DIR=str(tmp_path / "saves"))
    server = subprocess.Popen([sys.executable, "-m", "pokrovsk_tui", "serve", "--port", str(port)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    profile = tmp_path / "chromium-profile"
    browser = None
    try:
        url = f"http://127.0.0.1:{port}/"
        asyncio.run(wait_http(aiohttp, url, server))
        browser = subprocess.Popen(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--disable-extensions", "--mute-audio", f"--user-data-dir={profile}", "--remote-debugging-port=0",
             "--remote-debugging-address=127.0.0.1", "--window-size=1200,760",
             # nothing leaves this computer (the page asks for a web font)
             "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        seen, shot = asyncio.run(drive(aiohttp, profile, url))
        (tmp_path / "title.png").write_bytes(shot)
        assert "New game" in seen and "Replay" in seen, seen[-2000:]
        assert len(shot) > 10_000                  # a picture with something drawn
    finally:
        for proc in (browser, server):
            if proc is not None and proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(timeout=10)
        if server.stderr is not None:
            server.stderr.close()


async def wait_http(aiohttp, url: str, server: subprocess.Popen, timeout: float = 30.0) -> None:
    end = time.monotonic() + timeout
    async with aiohttp.ClientSession() as http:
        while time.monotonic() < end:
            if server.poll() is not None:
                raise AssertionError(f"pokrovsk serve stopped: {server.stderr.read().decode(errors='replace')}")
            with contextlib.suppress(aiohttp.ClientError, OSError):
                async with http.get(url) as r:
                    if r.status == 200 and "textual-terminal" in await r.text():
                        return
            await asyncio.sleep(0.2)
    raise AssertionError("the page was never served")


async def drive(aiohttp, profile, url: str, timeout: float = 45.0) -> tuple[str, bytes]:
    """Open ``url`` in the browser over DevTools; return the text the page's websocket
    received from the app and a screenshot once the title screen is there."""
    end = time.monotonic() + timeout
    port_file = profile / "DevToolsActivePort"
    while not port_file.is_file() or not port_file.read_text().strip():
        if time.monotonic() > end:
            raise AssertionError("Chromium did not open its DevTools port")
        await asyncio.sleep(0.1)
    devtools = int(port_file.read_text().split()[0])
    async with aiohttp.ClientSession() as http:
        target = None
        while target is None and time.monotonic() < end:
            with contextlib.suppress(aiohttp.ClientError, OSError):
                async with http.get(f"http://127.0.0.1:{devtools}/json/list") as r:
                    pages = [t for t in await r.json() if t.get("type") == "page"]
                    target = pages[0] if pages else None
            if target is None:
                await asyncio.sleep(0.1)
        assert target is not None, "no page in the browser"
        async with http.ws_connect(target["webSocketDebuggerUrl"], max_msg_size=0) as ws:
            ids = iter(range(1, 10_000))

            async def call(method: str, **params) -> int:
                i = next(ids)
                await ws.send_json({"id": i, "method": method, "params": params})
                return i

            await call("Network.enable")
            await call("Page.enable")
            await call("Page.navigate", url=url)
            received = ""
            shot_id = None
            while time.monotonic() < end:
                try:
                    msg = await asyncio.wait_for(ws.receive_json(), timeout=max(0.1, end - time.monotonic()))
                except TimeoutError:
                    break
                if msg.get("method") == "Network.webSocketFrameReceived":
                    r = msg["params"]["response"]
                    data = r.get("payloadData", "")
                    if r.get("opcode") == 2:
                        data = base64.b64decode(data).decode("utf-8", errors="replace")
                    received += data
                    if shot_id is None and "New game" in received and "Replay" in received:
                        await asyncio.sleep(0.5)          # let the canvas draw it
                        shot_id = await call("Page.captureScreenshot", format="png")
                elif shot_id is not None and msg.get("id") == shot_id:
                    return received, base64.b64decode(msg["result"]["data"])
            return received, b""


def test_serve_refuses_foreign_hosts_and_websocket_origins():
    """The page only under the server's own names; the websocket only from its own origin."""
    pytest.importorskip("textual_serve", reason="textual-serve is not installed")
    aiohttp = pytest.importorskip("aiohttp")
    from pokrovsk_tui.tui.serve import allowed_hosts

    assert {"127.0.0.1:8000", "localhost:8000", "[::1]:8000"} <= allowed_hosts("127.0.0.1", 8000)
    assert "evil.example:8000" not in allowed_hosts("0.0.0.0", 8000)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "pokrovsk_tui", "serve", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)

    async def check():
        await wait_http(aiohttp, f"http://127.0.0.1:{port}/", server)
        base = f"http://127.0.0.1:{port}"
        async with aiohttp.ClientSession() as http:
            async with http.get(base + "/", headers={"Host": f"localhost:{port}"}) as r:
                page = await r.text()
                assert r.status == 200 and f"ws://localhost:{port}/ws" in page
            async with http.get(base + "/", headers={"Host": f"evil.example:{port}"}) as r:
                assert r.status == 421 and "evil.example" not in await r.text()
            for origin in ("http://evil.example", f"http://evil.example:{port}", "null", ""):
                headers = {"Origin": origin} if origin else {}
                with pytest.raises(aiohttp.WSServerHandshakeError) as e:
                    async with http.ws_connect(f"ws://127.0.0.1:{port}/ws", headers=headers):
                        pass
                assert e.value.status == 403
            async with http.ws_connect(f"ws://127.0.0.1:{port}/ws?width=80&height=24",
                                       headers={"Origin": f"http://127.0.0.1:{port}"}) as ws:
                assert not ws.closed

    try:
        asyncio.run(check())
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)
