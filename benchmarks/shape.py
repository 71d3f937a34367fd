"""The multi-process shape on 127.0.0.1, for the CI smoke test and the load benchmark.

A PostgreSQL database of its own (created, then dropped), a Redis database, gunicorn processes
with the production settings and RQ workers; a small HTTP client that signs in through the real
pages (password, then the demo's authenticator code). Everything started is stopped by
``Shape.stop()``, which also runs when the process is told to stop (SIGTERM) or fails.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = "upward.test"
PG_ADMIN = os.environ.get("UPWARD_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Client:
    """HTTP/1.1 to one app process, as a browser behind the TLS proxy would be (the proxy's
    X-Forwarded-Proto header, secure cookies kept by hand)."""

    def __init__(self, port: int, cookies: dict[str, str] | None = None) -> None:
        self.port = port
        self.cookies: dict[str, str] = dict(cookies or {})
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        sent = {
            "Host": HOST,
            "X-Forwarded-Proto": "https",
            "Referer": f"https://{HOST}{path}",
            **(headers or {}),
        }
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            try:
                self.connection.request(method, path, body=body, headers=sent)
                response = self.connection.getresponse()
                data = response.read()
                break
            except (http.client.HTTPException, ConnectionError):
                self.connection.close()
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt == 2:
                    raise
        for header in response.headers.get_all("Set-Cookie") or []:
            jar: SimpleCookie = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                self.cookies[name] = morsel.value
        return response.status, dict(response.headers.items()), data

    def get(self, path: str) -> tuple[int, dict[str, str], bytes]:
        return self.request("GET", path)

    def post_form(self, path: str, fields: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        data = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **fields}
        ).encode()
        return self.request(
            "POST", path, data, {"Content-Type": "application/x-www-form-urlencoded"}
        )

    def post_json(self, path: str, payload: Any) -> tuple[int, dict[str, str], bytes]:
        return self.request(
            "POST",
            path,
            json.dumps(payload).encode(),
            {"Content-Type": "application/json", "X-CSRFToken": self.cookies.get("csrftoken", "")},
        )


class Shape:
    """Starts and stops the pieces; ``stop()`` undoes everything ``start_*`` did."""

    def __init__(self, redis_db: int, name: str) -> None:
        from cryptography.fernet import Fernet

        self.data_dir = Path(tempfile.mkdtemp(prefix=f"upward-{name}-"))
        self.database = f"upward_{name}_{os.getpid()}"
        self.redis_url = f"redis://127.0.0.1:6379/{redis_db}"
        self.processes: list[subprocess.Popen[bytes]] = []
        self.created_database = False
        admin = urllib.parse.urlsplit(PG_ADMIN)
        self.database_url = urllib.parse.urlunsplit(admin._replace(path="/" + self.database))
        base = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DJANGO_", "UPWARD_", "EMAIL_"))
            and k not in {"DEBUG", "DATABASE_URL", "REDIS_URL"}
        }
        self.production = {
            **base,
            "DJANGO_SETTINGS_MODULE": "upward.settings.production",
            "UPWARD_DATA_DIR": str(self.data_dir),
            "SECRET_KEY": secrets.token_urlsafe(60),
            "ALLOWED_HOSTS": HOST,
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "UPWARD_TASK_BACKEND": "rq",
            "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
            "FIELD_HASH_KEY": secrets.token_urlsafe(40),
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "LOG_LEVEL": "WARNING",
            "UPWARD_REQUEST_LOG_LEVEL": "WARNING",
            "UPWARD_METRICS_TOKEN": secrets.token_urlsafe(20),
        }
        # The demo seeds and prints sign-in codes only with the local settings: same database,
        # same keys, tasks run at once.
        self.local = {
            **self.production,
            "DJANGO_SETTINGS_MODULE": "upward.settings",
            "DEBUG": "1",
            "UPWARD_TASK_BACKEND": "immediate",
        }
        self.owner = os.getpid()
        signal.signal(signal.SIGTERM, self._on_term)

    def _on_term(self, *_: object) -> None:
        if os.getpid() != self.owner:  # a forked child (a load generator): leave all alone
            os._exit(143)
        self.stop()
        sys.exit(143)

    # --- the pieces ---------------------------------------------------------------------------

    def create_database(self) -> None:
        import psycopg

        with psycopg.connect(PG_ADMIN, autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
            c.execute(f'CREATE DATABASE "{self.database}"')
        self.created_database = True
        from redis import Redis

        Redis.from_url(self.redis_url).flushdb()

    def upward(self, *args: str, local: bool = False, timeout: float = 1800) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "upward", *args],
            env=self.local if local else self.production,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode:
            raise SystemExit(f"upward {' '.join(args)} failed:\n{done.stderr[-3000:]}")
        return done.stdout

    def seed_demo(self, size: int) -> str:
        """Migrate, seed the demo, collect static files; the demo's password."""
        self.upward("migrate", "--noinput")
        out = self.upward("demo", "--no-serve", "--size", str(size), local=True)
        self.upward("collectstatic", "--noinput")
        found = re.search(r"Password:\s+(\S+)", out)
        if found is None:
            raise SystemExit("the demo did not print its password")
        return found.group(1)

    def _spawn(self, args: list[str], log: str, env: dict[str, str] | None = None) -> None:
        handle = open(self.data_dir / log, "wb")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            args,
            env=env or self.production,
            cwd=ROOT,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes.append(process)

    def start_app(
        self,
        port: int,
        workers: int = 2,
        app: str = "upward.wsgi",
        env: dict[str, str] | None = None,
    ) -> None:
        self._spawn(
            [
                str(BIN / "gunicorn"),
                app,
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--worker-tmp-dir",
                str(self.data_dir),
                "--no-control-socket",
                "--chdir",
                str(ROOT),
            ],
            f"gunicorn-{port}.log",
            env={**self.production, **(env or {})},
        )

    def start_worker(self) -> None:
        self._spawn([sys.executable, "-m", "upward", "worker"], f"worker-{len(self.processes)}.log")

    def wait_for(self, port: int, seconds: float = 90) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for process in self.processes:
                if process.poll() is not None:
                    raise SystemExit(f"a process stopped early:\n{self.logs()}")
            try:
                status, _, _ = Client(port).get("/healthz")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise SystemExit(f"nothing answered on port {port} within {seconds:.0f} s\n{self.logs()}")

    def logs(self) -> str:
        parts = []
        for path in sorted(self.data_dir.glob("*.log")):
            parts.append(f"--- {path.name}\n{path.read_text(errors='replace')[-2000:]}")
        return "\n".join(parts)

    def sign_in(self, port: int, email: str, password: str) -> Client:
        """Sign in through the pages: password, then the authenticator code when asked."""
        client = Client(port)
        client.get("/accounts/login/")
        status, headers, _ = client.post_form(
            "/accounts/login/", {"login": email, "password": password}
        )
        if status != 302:
            raise SystemExit(f"sign-in as {email} answered {status}")
        if headers.get("Location", "").endswith("/accounts/2fa/authenticate/"):
            client.get("/accounts/2fa/authenticate/")
            for attempt in range(4):
                # A busy machine may take long enough to cross a 30-second code window.
                code = self.upward("demo_code", email, local=True).strip()
                status, headers, _ = client.post_form("/accounts/2fa/authenticate/", {"code": code})
                if status == 302:
                    break
                if attempt == 3:
                    raise SystemExit(f"the authenticator code of {email} was refused ({status})")
                time.sleep(31 - time.time() % 30)
        return client

    def stop(self) -> None:
        if os.getpid() != self.owner:
            return
        for process in self.processes:
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        self.processes = []
        if self.created_database:
            try:
                import psycopg

                with psycopg.connect(PG_ADMIN, autocommit=True) as c:
                    c.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
                from redis import Redis

                Redis.from_url(self.redis_url).flushdb()
            except Exception as exc:
                print(f"cleanup: {exc}", file=sys.stderr)
            self.created_database = False
        shutil.rmtree(self.data_dir, ignore_errors=True)
