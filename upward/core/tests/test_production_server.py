"""The production set-up, as an operator runs it: migrate, collect static files, serve with
gunicorn behind a TLS proxy. Everything stays on 127.0.0.1 and stops by itself."""

from __future__ import annotations

import http.client
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from personas import production_environment

HOST = "upward.example.org"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    tmp = tmp_path_factory.mktemp("production")
    env = production_environment(tmp)
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        done = subprocess.run(
            [sys.executable, "-m", "upward", *command],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
    port = _free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [str(gunicorn), "upward.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            # Ready once a worker answers, not when the master accepts: workers boot slowly on
            # a busy machine, and the first test would wait for them.
            try:
                if get(port, "/healthz", https=False).status == 200:
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    error = process.stderr.read().decode() if process.stderr else ""
                    pytest.fail(f"gunicorn did not start: {error[-2000:]}")
                time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def get(port: int, path: str, *, https: bool = True, host: str = HOST) -> Any:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    headers = {"Host": host}
    if https:
        headers["X-Forwarded-Proto"] = "https"  # what the TLS proxy in front adds
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    response.body = response.read()
    connection.close()
    return response


def test_health_check_answers_over_plain_http(server: int) -> None:
    response = get(server, "/healthz", https=False)
    assert response.status == 200
    assert response.body == b'{"status": "ok"}'


def test_plain_http_is_sent_to_https(server: int) -> None:
    response = get(server, "/accounts/login/", https=False)
    assert response.status == 301
    assert response.getheader("Location") == f"https://{HOST}/accounts/login/"


def test_sign_in_page_is_served_hardened_with_its_stylesheet(server: int) -> None:
    response = get(server, "/accounts/login/")
    assert response.status == 200
    assert "max-age=31536000" in response.getheader("Strict-Transport-Security", "")
    assert "unsafe-inline" not in response.getheader("Content-Security-Policy", "unsafe-inline")
    cookies = response.getheader("Set-Cookie", "")
    assert "csrftoken" in cookies and "Secure" in cookies
    stylesheet = re.search(rb'href="(/static/[^"]+\.css)"', response.body)
    assert stylesheet is not None
    css = get(server, stylesheet.group(1).decode())
    assert css.status == 200
    assert css.getheader("Content-Type", "").startswith("text/css")
    assert b"--paper" in css.body


def test_unknown_host_names_are_refused(server: int) -> None:
    assert get(server, "/accounts/login/", host="attacker.example").status == 400
