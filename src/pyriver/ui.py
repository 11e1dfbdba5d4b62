"""River UI, served by the library: River's own dashboard
(``riverqueue.com/riverui``) on the client's database, PostgreSQL or SQLite.

* :meth:`pyriver.Client.serve_ui` (and ``pyriver ui``) run it on an HTTP
  server of its own, on loopback by default;
* :func:`asgi_app` and :func:`wsgi_app` mount it in a web application
  (FastAPI, Starlette, Django, Flask...) under a path: each request goes to
  River UI's Go handler in-process.

River UI can cancel, retry and delete jobs and pause queues, and has no
read-only mode: keep it on loopback, give it ``username`` and ``password``
(HTTP basic auth), or mount it behind the application's own authentication.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from http import HTTPStatus
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from ._bridge import calls
from ._handle import OwnsHandle
from .errors import InvalidArgumentTypeError

if TYPE_CHECKING:
    from .client import Client

__all__ = ["RiverUI", "asgi_app", "wsgi_app"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]], Awaitable[None]]
WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class RiverUI(OwnsHandle):
    """River UI for one client. With a ``host`` it has an HTTP server of its
    own at :attr:`url`; without, it answers requests handed to
    :meth:`serve` (the ASGI and WSGI apps do). It stops with :meth:`stop`
    (or ``with``), and when its client closes."""

    def __init__(
        self,
        client: Client,
        *,
        prefix: str = "",
        host: str = "",
        port: int = 0,
        username: str | None = None,
        password: str | None = None,
    ) -> None:
        for name, value in (("prefix", prefix), ("host", host), ("username", username), ("password", password)):
            if value is not None and not isinstance(value, str):
                raise InvalidArgumentTypeError(f"{name} must be a str, not {type(value).__name__}", name)
        if isinstance(port, bool) or not isinstance(port, int):
            raise InvalidArgumentTypeError(f"port must be an int, not {type(port).__name__}", "port")
        self._handle: int | None = None
        self.url: str
        """River UI's address, ``http://host:port/prefix/``."""
        self._handle, self.url = calls.ui_open(
            client._target(), prefix=prefix, host=host, port=port, username=username or "", password=password or ""
        )
        self.prefix = prefix

    def serve(
        self, method: str, target: str, headers: list[tuple[str, str]], body: bytes
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        """Answer one HTTP request: ``target`` is the path (with the prefix)
        and query string. Returns the status, headers and body."""
        if self._handle is None:
            return 503, [("Content-Type", "text/plain; charset=utf-8")], b"River UI is stopped\n"
        return calls.ui_request(self._handle, method, target, headers, body)

    def stop(self) -> None:
        """Stop serving. Idempotent."""
        handle, self._handle = self._handle, None
        if handle is not None:
            calls.ui_close(handle)

    close = stop

    def __repr__(self) -> str:
        return f"RiverUI(url={self.url!r})" if self.url else f"RiverUI(prefix={self.prefix!r})"


def asgi_app(
    client: Client, prefix: str = "/riverui", *, username: str | None = None, password: str | None = None
) -> ASGIApp:
    """River UI as an ASGI application, to mount under ``prefix`` (for
    example ``app.mount("/riverui", pyriver.ui.asgi_app(client))`` in
    FastAPI or Starlette). Requests run River UI's handler in a worker
    thread, so the event loop never waits on the database."""
    ui = RiverUI(client, prefix=prefix, username=username, password=password)

    async def app(
        scope: Scope, receive: Callable[[], Awaitable[Message]], send: Callable[[Message], Awaitable[None]]
    ) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":
            raise ValueError(f"River UI serves HTTP, not {scope['type']}")
        body = bytearray()
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body", False):
                break
        headers = [(name.decode("latin-1"), value.decode("latin-1")) for name, value in scope["headers"]]
        status, response_headers, response_body = await asyncio.to_thread(
            ui.serve, scope["method"], _asgi_target(scope), headers, bytes(body)
        )
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in response_headers
                ],
            }
        )
        await send({"type": "http.response.body", "body": response_body})

    return app


def _asgi_target(scope: Scope) -> str:
    """The request's full path (mount prefix included) and query string."""
    raw = scope.get("raw_path")
    if raw:
        path = raw.decode("latin-1")
    else:
        path, root = scope["path"], scope.get("root_path", "")
        if root and not path.startswith(root):
            path = root + path
        path = quote(path)
    query = scope.get("query_string", b"")
    return f"{path}?{query.decode('latin-1')}" if query else path


async def _lifespan(receive: Callable[[], Awaitable[Message]], send: Callable[[Message], Awaitable[None]]) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


def wsgi_app(
    client: Client, prefix: str = "/riverui", *, username: str | None = None, password: str | None = None
) -> WSGIApp:
    """River UI as a WSGI application, to mount under ``prefix`` (Flask's
    ``DispatcherMiddleware``, Django's WSGI handler in front, or any WSGI
    server)."""
    ui = RiverUI(client, prefix=prefix, username=username, password=password)

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length > 0 else b""
        # PEP 3333: the path arrives decoded as latin-1; River UI wants it as sent.
        path = quote((environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")).encode("latin-1"))
        query = environ.get("QUERY_STRING", "")
        status, headers, response_body = ui.serve(
            environ["REQUEST_METHOD"], f"{path}?{query}" if query else path, _wsgi_headers(environ), body
        )
        start_response(f"{status} {HTTPStatus(status).phrase}", headers)
        return [response_body]

    return app


def _wsgi_headers(environ: dict[str, Any]) -> list[tuple[str, str]]:
    headers = [(key[5:].replace("_", "-").title(), value) for key, value in environ.items() if key.startswith("HTTP_")]
    for key, name in (("CONTENT_TYPE", "Content-Type"), ("CONTENT_LENGTH", "Content-Length")):
        if environ.get(key):
            headers.append((name, environ[key]))
    return headers
