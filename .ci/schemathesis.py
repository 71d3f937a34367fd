"""Run schemathesis on every API operation against the demo, with a token of its coordinator.

The demo is seeded in a throwaway data folder and served on 127.0.0.1 on a free port. The
coordinator signs in through the real sign-in page and the authenticator step (the code comes
from `upward demo-code`) and creates an API token with every scope (a token's creation needs
that second factor); then schemathesis calls every operation of /api/v1/openapi.json, sending
only `Authorization: Bearer <token>` (no session, no CSRF token), with
these checks: no server error, responses conform to the schema, status codes and content types
are documented. The run is bounded (fixed seed, few examples per operation, a time budget) and
must end with 0 failures. The server is stopped at the end, whatever happens.

    .venv/bin/python .ci/schemathesis.py [--max-examples N] [--max-time SECONDS]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
COORDINATOR = "coordinator@demo.upward.test"
CHECKS = (
    "not_a_server_error,response_schema_conformance,status_code_conformance,"
    "content_type_conformance"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (http on loopback)
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.3)
    raise SystemExit(f"the demo did not answer at {url} within {seconds:.0f} s")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def sign_in(base: str, env: dict[str, str], password: str) -> tuple[str, str]:
    """Sign in as the coordinator with password and authenticator code; (sessionid, csrftoken)."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)

    def cookie(name: str) -> str:
        return next(c.value or "" for c in jar if c.name == name)

    def post(path: str, fields: dict[str, str]) -> tuple[int, str]:
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": cookie("csrftoken"), **fields})
        request = urllib.request.Request(  # noqa: S310 (http on loopback)
            base + path, data=data.encode(), headers={"Referer": base + path}
        )
        try:
            with opener.open(request) as response:
                return response.status, ""
        except urllib.error.HTTPError as answer:
            return answer.code, answer.headers.get("Location", "")

    opener.open(base + "/accounts/login/").read()
    status, location = post("/accounts/login/", {"login": COORDINATOR, "password": password})
    if status != 302 or not location.endswith("/accounts/2fa/authenticate/"):
        raise SystemExit(f"sign-in did not ask for the authenticator code ({status} {location})")
    code = subprocess.run(  # noqa: S603 (our own commands)
        [str(BIN / "upward"), "demo_code", COORDINATOR],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    opener.open(base + "/accounts/2fa/authenticate/").read()
    status, location = post("/accounts/2fa/authenticate/", {"code": code})
    if status != 302:
        raise SystemExit(f"the authenticator code was refused ({status})")
    with opener.open(base + "/api/v1/me") as me:
        if me.status != 200:
            raise SystemExit(f"signed in, but /api/v1/me answered {me.status}")
    return cookie("sessionid"), cookie("csrftoken")


def create_token(base: str, session: str, csrf: str) -> str:
    """A token of the signed-in coordinator with every scope, for 30 days."""
    import datetime as dt
    import json

    schema = json.loads(urllib.request.urlopen(base + "/api/v1/openapi.json").read())  # noqa: S310
    scopes = sorted(
        {
            s
            for entries in schema["paths"].values()
            for op in entries.values()
            for s in op.get("x-scopes", [])
        }
    )
    body = json.dumps(
        {
            "name": "schemathesis",
            "scopes": scopes,
            "expires_on": (dt.date.today() + dt.timedelta(days=30)).isoformat(),
        }
    ).encode()
    request = urllib.request.Request(  # noqa: S310 (http on loopback)
        base + "/api/v1/tokens",
        data=body,
        headers={
            "Content-Type": "application/json",
            "Cookie": f"sessionid={session}; csrftoken={csrf}",
            "X-CSRFToken": csrf,
            "Referer": base + "/",
        },
    )
    with urllib.request.urlopen(request) as answer:  # noqa: S310
        secret = str(json.loads(answer.read())["secret"])
    check = urllib.request.Request(  # noqa: S310
        base + "/api/v1/me", headers={"Authorization": f"Bearer {secret}"}
    )
    with urllib.request.urlopen(check) as me:  # noqa: S310
        if me.status != 200:
            raise SystemExit(f"the token was created, but /api/v1/me answered {me.status}")
    return secret


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-examples", type=int, default=25)
    parser.add_argument("--max-time", type=int, default=240, help="seconds for fuzzing")
    parser.add_argument("--seed", type=int, default=20261206)
    parser.add_argument("--size", type=int, default=120, help="people in the demo")
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="upward-schemathesis-"))
    env = {
        **os.environ,
        "UPWARD_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "upward.settings",
        "DEBUG": "1",
        "UPWARD_TASK_BACKEND": "immediate",
        # The code of this checkout, whichever checkout the virtual environment was installed from.
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        # The run sends more requests a minute than a token is allowed in production.
        "UPWARD_TOKEN_RATE_LIMIT": "1000000",
    }
    for name in ("DATABASE_URL", "REDIS_URL"):
        env.pop(name, None)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server: subprocess.Popen[bytes] | None = None

    def stop(*_: object) -> None:
        if server is not None and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        shutil.rmtree(data_dir, ignore_errors=True)

    signal.signal(signal.SIGTERM, lambda *a: (stop(), sys.exit(143)))
    started = time.monotonic()
    try:
        seeded = subprocess.run(  # noqa: S603
            [str(BIN / "upward"), "demo", "--no-serve", "--size", str(args.size)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
        ).stdout
        password = re.search(r"Password:\s+(\S+)", seeded)
        if password is None:
            raise SystemExit("the demo did not print its password")
        server = subprocess.Popen(  # noqa: S603
            [str(BIN / "upward"), "runserver", f"127.0.0.1:{port}", "--noreload"],
            env=env,
            cwd=ROOT,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=open(data_dir / "server.log", "wb"),  # noqa: SIM115
        )
        wait_for(base + "/healthz", 60)
        session, csrf = sign_in(base, env, password.group(1))
        token = create_token(base, session, csrf)
        command = [
            str(BIN / "schemathesis"),
            "run",
            f"{base}/api/v1/openapi.json",
            "--checks",
            CHECKS,
            "--seed",
            str(args.seed),
            "--max-examples",
            str(args.max_examples),
            "--max-time",
            str(args.max_time),
            "--workers",
            "1",
            "--request-timeout",
            "30",
            "--header",
            f"Authorization: Bearer {token}",
            "--no-color",
        ]
        result = subprocess.run(command, cwd=data_dir, check=False)  # noqa: S603
        log = (data_dir / "server.log").read_text(errors="replace")
        requests = len(re.findall(r'^\[[^]]+\] "[A-Z]+ /api/v1/', log, flags=re.MULTILINE))
        print(
            f"schemathesis finished in {time.monotonic() - started:.0f} s "
            f"(demo seeded and served included); the server answered {requests} API requests"
        )
        if result.returncode != 0:
            tracebacks = [b for b in log.split("\n\n") if "Traceback" in b]
            for block in tracebacks[:5]:
                print(block[-3000:])
        return result.returncode
    finally:
        stop()


if __name__ == "__main__":
    sys.exit(main())
