"""River UI served by the library, on both drivers: from its own server
(serve_ui), mounted in an ASGI app under uvicorn and in a WSGI app under
wsgiref, with and without basic auth."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Mount, Route

import pyriver
import pyriver.ui
from pyriver import JobState
from support.jobargs import SendEmail
from support.webservers import uvicorn_serving, wsgiref_serving


def fetch(url: str, *, method: str = "GET", body: Any = None, auth: tuple[str, str] | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, method=method, data=None if body is None else json.dumps(body).encode())
    if body is not None:
        request.add_header("Content-Type", "application/json")
    if auth is not None:
        request.add_header("Authorization", "Basic " + base64.b64encode(":".join(auth).encode()).decode())
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def check_ui_at(base: str, client: pyriver.Client, **auth: Any) -> None:
    """River UI's page and API at base (ending in /) show and act on the
    jobs pyriver inserted."""
    job = client.insert(SendEmail("ada@example.com")).job
    status, page = fetch(base, **auth)
    assert status == 200 and b"<html" in page.lower()
    status, listing = fetch(base + "api/jobs?state=available&limit=20", **auth)
    assert status == 200, listing
    assert [(row["id"], row["kind"]) for row in json.loads(listing)["data"]] == [(job.id, "send_email")]
    status, answer = fetch(base + "api/jobs/cancel", method="POST", body={"ids": [str(job.id)]}, **auth)
    assert status == 200, answer
    assert client.job_get(job.id).state is JobState.CANCELLED


def test_serve_ui_runs_river_ui_on_loopback(client: pyriver.Client) -> None:
    with client.serve_ui() as ui:
        assert ui.url.startswith("http://127.0.0.1:") and ui.url.endswith("/")
        check_ui_at(ui.url, client)
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(ui.url, timeout=5)


def test_serve_ui_under_a_prefix_with_basic_auth(client: pyriver.Client) -> None:
    with client.serve_ui(prefix="/ops/river", username="admin", password="s3cret") as ui:
        assert ui.url.endswith("/ops/river/")
        assert fetch(ui.url)[0] == 401
        assert fetch(ui.url, auth=("admin", "wrong"))[0] == 401
        check_ui_at(ui.url, client, auth=("admin", "s3cret"))


def test_asgi_app_mounted_in_starlette_under_uvicorn(client: pyriver.Client) -> None:
    app = Starlette(
        routes=[
            Route("/", lambda request: PlainTextResponse("the application")),
            Mount("/riverui", app=pyriver.ui.asgi_app(client, "/riverui")),
        ]
    )
    with uvicorn_serving(app) as base:
        assert fetch(base + "/") == (200, b"the application")
        check_ui_at(base + "/riverui/", client)


def test_wsgi_app_under_wsgiref(client: pyriver.Client) -> None:
    with wsgiref_serving(pyriver.ui.wsgi_app(client, "/riverui", username="ops", password="pw")) as base:
        assert fetch(base + "/riverui/")[0] == 401
        check_ui_at(base + "/riverui/", client, auth=("ops", "pw"))


def test_a_ui_stops_with_its_client(database: Any) -> None:
    with pyriver.Client(database.url) as client:
        client.migrate()
        ui = client.serve_ui()
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(ui.url, timeout=5)
    ui.stop()  # harmless after the client closed it


def test_bad_options_name_their_parameter(client: pyriver.Client) -> None:
    with pytest.raises(pyriver.InvalidArgumentError) as info:
        client.serve_ui(port=70000)
    assert info.value.param == "port"
    with pytest.raises(pyriver.InvalidArgumentError) as info:
        client.serve_ui(username="only-a-name")
    assert info.value.param == "password"
    with pytest.raises(pyriver.InvalidArgumentTypeError) as wrong_type:
        client.serve_ui(port="8080")  # type: ignore[arg-type]
    assert wrong_type.value.param == "port"


def test_pyriver_ui_command_serves_until_sigterm(database: Any, client: pyriver.Client) -> None:
    command = subprocess.Popen(
        [sys.executable, "-m", "pyriver", "ui", "--port", "0", "--prefix", "/riverui"],
        env={**os.environ, "DATABASE_URL": database.url},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert command.stdout is not None
        line = command.stdout.readline()
        url = line.split()[3].rstrip(";")
        assert url.startswith("http://127.0.0.1:") and url.endswith("/riverui/"), line
        check_ui_at(url, client)
    finally:
        command.send_signal(signal.SIGTERM)
        _, err = command.communicate(timeout=60)
    assert command.returncode == 0, err


def test_a_port_in_use_is_refused_naming_port(client: pyriver.Client) -> None:
    with client.serve_ui() as first:
        port = int(first.url.rsplit(":", 1)[1].split("/")[0])
        with pytest.raises(pyriver.InvalidArgumentError, match="cannot listen") as info:
            client.serve_ui(port=port)
    assert info.value.param == "port"


def test_async_client_serves_it_too(database: Any, client: pyriver.Client) -> None:
    async def serve() -> None:
        async with pyriver.AsyncClient(database.url) as async_client:
            ui = await async_client.serve_ui()
            try:
                status, _ = await asyncio.to_thread(fetch, ui.url)
                assert status == 200
            finally:
                ui.stop()

    asyncio.run(serve())
