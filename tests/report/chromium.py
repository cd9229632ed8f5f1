"""Headless Chromium driven over the DevTools protocol on a pipe: load a page, collect console errors,
evaluate expressions, take a screenshot.

`--remote-debugging-pipe` makes Chromium read protocol messages (JSON, each ended by a NUL byte) from file
descriptor 3 and write to descriptor 4: no websocket client and no port. The protocol reports what
`--enable-logging` cannot tell apart: console.error calls, uncaught exceptions and failed loads.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

__all__ = ["CHROMIUM", "Browser", "PageLoad"]

CHROMIUM = shutil.which("chromium")
# Flags for root in a container without a display: no sandbox, no GPU, nothing fetched in the background.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--remote-debugging-pipe",
    "--window-size=1280,1000",
]
TIMEOUT_SECONDS = 30
ERROR_EVENTS = ("Runtime.consoleAPICalled", "Runtime.exceptionThrown", "Log.entryAdded")


@dataclass
class PageLoad:
    """A loaded page: its protocol session and the console errors it has shown so far."""

    session: str
    loaded: bool = False
    errors: list[str] = field(default_factory=list)


class Browser:
    """One headless Chromium process; use as a context manager."""

    def __init__(self) -> None:
        assert CHROMIUM is not None, "Debian's chromium package is not installed"
        self.profile = tempfile.mkdtemp(prefix="ctk-chromium-")
        to_browser, self.commands = os.pipe()
        self.replies, from_browser = os.pipe()

        def wire_descriptors() -> None:  # in the child: the pipe ends on descriptors 3 and 4
            reading, writing = os.dup(to_browser), os.dup(from_browser)
            os.dup2(reading, 3)
            os.dup2(writing, 4)

        self.process = subprocess.Popen(
            [CHROMIUM, *FLAGS, f"--user-data-dir={self.profile}"],
            preexec_fn=wire_descriptors,
            close_fds=False,  # our own descriptors are not inheritable (PEP 446); 3 and 4 are
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_browser)
        os.close(from_browser)
        self.buffer = b""
        self.next_id = 0
        self.pages: dict[str, PageLoad] = {}

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        try:
            self.send("Browser.close")
        except (OSError, EOFError, RuntimeError):
            self.process.kill()
        self.process.wait(TIMEOUT_SECONDS)
        os.close(self.commands)
        os.close(self.replies)
        shutil.rmtree(self.profile, ignore_errors=True)

    def send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> dict[str, Any]:
        """Send one command and return its result; events that arrive meanwhile are recorded."""
        self.next_id += 1
        message: dict[str, Any] = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.commands, json.dumps(message).encode("utf-8") + b"\0")
        while True:
            reply = self._receive()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return dict(reply["result"])
            self._record(reply)

    def load(self, url: str) -> PageLoad:
        """Open `url` in a new tab and wait for its load event."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        page = self.pages[session] = PageLoad(session)
        for domain in ("Runtime", "Log", "Page"):
            self.send(f"{domain}.enable", session=session)
        self.send("Page.navigate", {"url": url}, session=session)
        while not page.loaded:
            self._record(self._receive())
        return page

    def evaluate(self, page: PageLoad, expression: str) -> Any:
        """The value of a JavaScript expression in the page (awaited when it is a promise)."""
        result = self.send(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
            session=page.session,
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, page: PageLoad, expression: str) -> Any:
        """Poll until the expression is truthy (e.g. until a script has filled in a table)."""
        deadline = time.monotonic() + TIMEOUT_SECONDS
        while not (value := self.evaluate(page, expression)):
            if time.monotonic() > deadline:
                raise TimeoutError(f"still false after {TIMEOUT_SECONDS} s: {expression}")
            time.sleep(0.1)
        return value

    def screenshot(self, page: PageLoad, path: Path) -> Path:
        data = self.send("Page.captureScreenshot", {"format": "png"}, session=page.session)["data"]
        path.write_bytes(base64.b64decode(data))
        return path

    def _receive(self) -> dict[str, Any]:
        while b"\0" not in self.buffer:
            chunk = os.read(self.replies, 1 << 16)
            if not chunk:
                raise EOFError("chromium closed the DevTools pipe")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return dict(json.loads(message))

    def _record(self, event: dict[str, Any]) -> None:
        """Note a page's load event and keep its console errors."""
        page = self.pages.get(event.get("sessionId", ""))
        if page is None:
            return
        method, params = event.get("method", ""), event.get("params", {})
        page.loaded = page.loaded or method == "Page.loadEventFired"
        error = _console_error(method, params) if method in ERROR_EVENTS else None
        if error:
            page.errors.append(error)


def _console_error(method: str, params: dict[str, Any]) -> str | None:
    if method == "Runtime.consoleAPICalled" and params["type"] in ("error", "assert"):
        return "console.error: " + " ".join(str(arg.get("value", arg.get("description"))) for arg in params["args"])
    if method == "Runtime.exceptionThrown":
        details = params["exceptionDetails"]
        return f"uncaught: {details.get('exception', {}).get('description') or details['text']}"
    if method == "Log.entryAdded" and params["entry"]["level"] == "error":
        return f"{params['entry']['text']} {params['entry'].get('url', '')}".strip()
    return None
