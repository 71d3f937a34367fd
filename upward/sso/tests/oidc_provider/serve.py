"""Start the test provider: ``python -m upward.sso.tests.oidc_provider.serve``.

Reads the clients to register from ``OIDC_TEST_CLIENTS`` (JSON: client_id, secret, redirect
uri) and the people from ``OIDC_TEST_IDENTITIES``, migrates a fresh SQLite file, listens on
127.0.0.1 on a free port and prints ``READY <port>`` once it answers.
"""

from __future__ import annotations

import json
import os
import sys
from wsgiref.simple_server import WSGIRequestHandler, make_server


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return


def main() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "upward.sso.tests.oidc_provider.settings"
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import get_application_model

    call_command("migrate", verbosity=0, interactive=False)
    with open(os.environ["OIDC_TEST_IDENTITIES"]) as handle:
        for username in json.load(handle):
            get_user_model().objects.create_user(username=username)
    Application = get_application_model()
    with open(os.environ["OIDC_TEST_CLIENTS"]) as handle:
        for client in json.load(handle):
            Application.objects.create(
                name=client["client_id"],
                client_id=client["client_id"],
                client_secret=client["secret"],
                client_type=Application.CLIENT_CONFIDENTIAL,
                authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
                redirect_uris=client["redirect_uri"],
                algorithm=Application.RS256_ALGORITHM,
                skip_authorization=True,
            )
    server = make_server("127.0.0.1", 0, get_wsgi_application(), handler_class=_Quiet)
    print(f"READY {server.server_port}", flush=True)
    sys.stdout.flush()
    server.serve_forever()


if __name__ == "__main__":
    main()
