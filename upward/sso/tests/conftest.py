"""A real OpenID Connect provider on 127.0.0.1 for the single sign-on tests, and helpers that
walk a browser through it: Upward (the Django test client) sends the browser to the provider,
the browser (a ``requests`` session) signs in there and comes back with a code, and Upward's
server side exchanges the code at the provider's token endpoint over real HTTP."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from django.test import Client

from upward.directory.models import Organisation
from upward.sso import services
from upward.sso.models import SsoSetting

CLIENT_ID = "upward-northwind"
CLIENT_SECRET = "northwind-client-secret-0123456789"
EMPLOYEE_ID = "NW-SSO-0007"

# The people the identity provider knows, and the claims it sends about each.
IDENTITIES: dict[str, dict[str, Any]] = {
    "ada": {"email": "ada.sso@northwind.example", "email_verified": True, "name": "Ada"},
    "bram": {"email": "bram@personal.example", "email_verified": False, "employee_id": EMPLOYEE_ID},
    "cleo": {"email": "cleo.sso@northwind.example", "email_verified": False},
    "dara": {"email": "nobody.here@northwind.example", "email_verified": True},
    "eve": {"email": "eve.sso@riverside.example", "email_verified": True},
    "finn": {"email": "finn.admin@northwind.example", "email_verified": True},
}


@dataclass(frozen=True)
class Provider:
    url: str  # the issuer, e.g. http://127.0.0.1:40453/o

    def browser(self, username: str) -> requests.Session:
        """A browser that has signed in at the identity provider as ``username``."""
        session = requests.Session()
        answer = session.get(f"{self.url.removesuffix('/o')}/login/{username}/", timeout=10)
        answer.raise_for_status()
        return session


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Provider]:
    folder: Path = tmp_path_factory.mktemp("oidc-provider")
    (folder / "identities.json").write_text(json.dumps(IDENTITIES))
    (folder / "clients.json").write_text(
        json.dumps(
            [
                {
                    "client_id": CLIENT_ID,
                    "secret": CLIENT_SECRET,
                    "redirect_uri": "http://testserver/accounts/oidc/org-northwind/login/callback/",
                }
            ]
        )
    )
    env = {
        **os.environ,
        "OIDC_TEST_DATABASE": str(folder / "provider.sqlite3"),
        "OIDC_TEST_IDENTITIES": str(folder / "identities.json"),
        "OIDC_TEST_CLIENTS": str(folder / "clients.json"),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "upward.sso.tests.oidc_provider.serve"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[3],
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line.startswith("READY "):
            process.kill()
            raise RuntimeError(f"The test provider did not start: {line}{process.stderr.read()}")  # type: ignore[union-attr]
        yield Provider(url=f"http://127.0.0.1:{int(line.split()[1])}/o")
    finally:
        process.terminate()
        process.wait(timeout=10)


def configure(
    organisation: Organisation, provider: Provider, by: Any, **changes: Any
) -> SsoSetting:
    """Switch single sign-on on for ``organisation`` through the service the page uses."""
    setting = services.setting_for(organisation)
    values: dict[str, Any] = {
        "enabled": True,
        "protocol": "oidc",
        "oidc_server_url": provider.url,
        "oidc_client_id": CLIENT_ID,
        "oidc_client_secret": CLIENT_SECRET,
        "link_by_email": True,
        "employee_id_claim": "employee_id",
    }
    values.update(changes)
    return services.sso_configure(
        organisation=organisation,
        data=services.SsoInput(**values),
        expected_version=setting.version,
        by=by,
    )


def begin(client: Client, email: str) -> str:
    """'Sign in with your organisation': the address Upward sends the browser to."""
    response = client.post("/sso/", {"email": email})
    assert response.status_code == 302, response.content.decode()[:2000]
    return str(response["Location"])


def authorise(browser: requests.Session, authorize_url: str) -> str:
    """The browser at the provider's authorisation endpoint: the path and query it is sent
    back to at Upward."""
    answer = browser.get(authorize_url, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text[:2000]
    back = urlsplit(answer.headers["Location"])
    assert back.netloc == "testserver", answer.headers["Location"]
    return f"{back.path}?{back.query}"


def sign_in(client: Client, provider: Provider, username: str, email: str) -> Any:
    """The whole journey; the answer of Upward's callback."""
    callback = authorise(provider.browser(username), begin(client, email))
    return client.get(callback)


def signed_in_user_id(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


@dataclass
class TamperingProxy:
    url: str
    # What to do to the id token's claims on the way back (the signature is left as it was).
    change: dict[str, Any]


@pytest.fixture
def tampering_proxy(oidc_provider: Provider) -> Iterator[TamperingProxy]:
    """A token endpoint on 127.0.0.1 that passes the request to the real one and changes the
    id token's claims in the answer as ``proxy.change`` says."""
    import base64
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    token_url = f"{oidc_provider.url}/token/"

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    def unb64(text: str) -> bytes:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            return

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            headers = {"Content-Type": self.headers.get("Content-Type", "")}
            if self.headers.get("Authorization"):
                headers["Authorization"] = self.headers["Authorization"]
            real = requests.post(token_url, data=body, headers=headers, timeout=10)
            answer = real.json()
            if "id_token" in answer:
                head, payload, signature = answer["id_token"].split(".")
                claims = json.loads(unb64(payload))
                claims.update(proxy.change)
                answer["id_token"] = ".".join([head, b64(json.dumps(claims).encode()), signature])
            data = json.dumps(answer).encode()
            self.send_response(real.status_code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    proxy = TamperingProxy(url=f"http://127.0.0.1:{server.server_port}/token", change={})
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield proxy
    finally:
        server.shutdown()
        server.server_close()
