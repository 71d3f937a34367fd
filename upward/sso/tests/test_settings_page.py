"""The organisation admin's single sign-on page, and what it keeps allauth's apps as."""

from __future__ import annotations

import base64
import datetime
from typing import Any

import pytest
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.models import SocialApp
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.db import connection
from django.test import Client

from personas import make_user
from upward.accounts.models import User
from upward.directory.models import Organisation, Person
from upward.sso.models import SsoSetting

SECRET = "a-client-secret-from-the-idp-123"


def _url(organisation: Organisation) -> str:
    return f"/organisations/{organisation.slug}/sso/"


def _form(version: int = 1, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "version": version,
        "enabled": "on",
        "protocol": "oidc",
        "oidc_server_url": "https://login.northwind.example/realms/staff",
        "oidc_client_id": "upward",
        "oidc_client_secret": SECRET,
        "link_by_email": "on",
        "employee_id_claim": "employee_id",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def admin_client(org_admin: User) -> Client:
    client = Client()
    client.force_login(org_admin)
    return client


def _unchanged(organisation: Organisation) -> None:
    setting = SsoSetting.objects.filter(organisation=organisation).first()
    assert setting is None or (setting.version == 1 and not setting.enabled)
    assert not SocialApp.objects.exists()


def test_the_page_shows_the_addresses_to_give_the_identity_provider(
    admin_client: Client, org_a: Organisation
) -> None:
    response = admin_client.get(_url(org_a))
    assert response.status_code == 200
    page = response.content.decode()
    assert "http://testserver/accounts/oidc/org-northwind/login/callback/" in page
    assert "http://testserver/accounts/saml/northwind/metadata/" in page


def test_saving_openid_connect_keeps_the_secret_encrypted_and_backs_it_with_an_app(
    admin_client: Client, org_a: Organisation
) -> None:
    response = admin_client.post(_url(org_a), _form())
    assert response.status_code == 302
    setting = SsoSetting.objects.get(organisation=org_a)
    assert setting.enabled and setting.version == 2 and setting.oidc_client_secret == SECRET
    with connection.cursor() as cursor:
        cursor.execute("SELECT oidc_client_secret FROM sso_ssosetting WHERE id = %s", [setting.pk])
        raw = cursor.fetchone()[0]
    assert raw.startswith("enc1:") and SECRET not in raw
    app = SocialApp.objects.get(provider_id="org-northwind")
    assert app.provider == "openid_connect" and app.client_id == "upward" and app.secret == ""
    assert app.settings["server_url"] == "https://login.northwind.example/realms/staff"
    assert app.settings["oauth_pkce_enabled"] is True
    # allauth gets the secret in memory when a sign-in needs it.
    (listed,) = get_adapter().list_apps(None, provider="org-northwind")
    assert listed.secret == SECRET
    # Saving again without a secret keeps the stored one.
    response = admin_client.post(_url(org_a), _form(version=2, oidc_client_secret=""))
    assert response.status_code == 302
    assert SsoSetting.objects.get(organisation=org_a).oidc_client_secret == SECRET


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"oidc_server_url": "http://login.northwind.example"}, "must start with https://"),
        ({"oidc_server_url": "not a web address at all"}, "Enter a valid URL"),
        ({"oidc_server_url": "ftp://login.northwind.example"}, "must be a full web address"),
        ({"oidc_server_url": "https://user:pw@login.northwind.example"}, "user name or password"),
        ({"oidc_server_url": ""}, "issuer address"),
        ({"oidc_client_id": ""}, "client id"),
        ({"oidc_client_secret": ""}, "client secret"),
        ({"link_by_email": None, "employee_id_claim": ""}, "by verified email, by employee id"),
        ({"employee_id_claim": "employee id; drop"}, "letters, digits"),
        ({"enabled": None, "require_sso": "on"}, "must be on before it can be required"),
        ({"protocol": "kerberos"}, "Select a valid choice"),
        ({"protocol": "saml", "saml_entity_id": "https://idp"}, "not both"),
        (
            {"protocol": "saml", "saml_entity_id": "x", "saml_metadata_xml": "<not-xml"},
            "not readable SAML metadata",
        ),
        (
            {"protocol": "saml", "saml_entity_id": "x", "saml_metadata_url": "http://idp.test/m"},
            "must start with https://",
        ),
        ({"version": "abc"}, "version"),
    ],
)
def test_bad_input_gets_a_clear_message_and_changes_nothing(
    admin_client: Client, org_a: Organisation, changes: dict[str, Any], message: str
) -> None:
    response = admin_client.post(_url(org_a), _form(**changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    _unchanged(org_a)


def test_a_stale_version_is_refused(admin_client: Client, org_a: Organisation) -> None:
    assert admin_client.post(_url(org_a), _form()).status_code == 302
    response = admin_client.post(_url(org_a), _form(version=1, require_sso="on"))
    assert response.status_code == 409
    assert "Someone else saved" in response.content.decode()
    assert not SsoSetting.objects.get(organisation=org_a).require_sso


def test_another_organisations_admin_cannot_see_or_change_it(
    org_admin_b: User, org_a: Organisation
) -> None:
    client = Client()
    client.force_login(org_admin_b)
    assert client.get(_url(org_a)).status_code == 404
    assert client.post(_url(org_a), _form()).status_code == 404
    _unchanged(org_a)


def _idp_metadata() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "idp.northwind.example")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    body = "".join(
        cert.public_bytes(serialization.Encoding.PEM).decode().strip().splitlines()[1:-1]
    )
    return f"""<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"
    xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="https://idp.northwind.example/saml">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{body}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
        Location="https://idp.northwind.example/saml/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>"""


def test_saml_from_metadata_backs_it_with_a_saml_app_and_publishes_our_metadata(
    admin_client: Client, org_a: Organisation
) -> None:
    response = admin_client.post(
        _url(org_a),
        _form(
            protocol="saml",
            saml_entity_id="https://idp.northwind.example/saml",
            saml_metadata_xml=_idp_metadata(),
            oidc_server_url="",
            oidc_client_id="",
            oidc_client_secret="",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    app = SocialApp.objects.get(provider_id="org-northwind")
    assert app.provider == "saml" and app.client_id == "northwind"
    assert app.settings["idp"]["sso_url"] == "https://idp.northwind.example/saml/sso"
    assert app.settings["idp"]["x509cert"]
    # Upward's own service-provider metadata, built by python3-saml, for the IdP to read.
    # (python3-saml wants a host name it recognises: "testserver" is not one.)
    metadata = Client(HTTP_HOST="localhost").get("/accounts/saml/northwind/metadata/")
    assert metadata.status_code == 200
    assert b"AssertionConsumerService" in metadata.content
    assert b"/accounts/saml/northwind/acs/" in metadata.content


def test_saml_metadata_must_name_the_same_entity(admin_client: Client, org_a: Organisation) -> None:
    response = admin_client.post(
        _url(org_a),
        _form(protocol="saml", saml_entity_id="https://other", saml_metadata_xml=_idp_metadata()),
    )
    assert response.status_code == 400
    assert "does not match" in response.content.decode()
    _unchanged(org_a)


def test_switching_protocol_or_off_removes_the_other_app(
    admin_client: Client, org_a: Organisation
) -> None:
    saml = _form(
        protocol="saml",
        saml_entity_id="https://idp.northwind.example/saml",
        saml_metadata_url="https://idp.northwind.example/saml/metadata",
    )
    assert admin_client.post(_url(org_a), saml).status_code == 302
    assert list(SocialApp.objects.values_list("provider", flat=True)) == ["saml"]
    assert admin_client.post(_url(org_a), _form(version=2)).status_code == 302
    assert list(SocialApp.objects.values_list("provider", flat=True)) == ["openid_connect"]
    off = _form(version=3, enabled=None)
    assert admin_client.post(_url(org_a), off).status_code == 302
    assert not SocialApp.objects.exists()
    assert Client().get("/sso/northwind/").status_code == 404


def test_the_sign_in_page_offers_the_organisations_sign_in(db: Any) -> None:
    page = Client().get("/accounts/login/").content.decode()
    assert 'href="/sso/"' in page and "Sign in with your organisation" in page


def test_an_address_of_no_sso_organisation_gets_a_clear_message(org_a: Organisation) -> None:
    response = Client().post("/sso/", {"email": "someone@northwind.example"})
    assert response.status_code == 400
    assert "No organisation signs in through its identity provider" in response.content.decode()
    response = Client().post("/sso/", {"email": "not an address"})
    assert response.status_code == 400


def test_the_directory_page_links_to_it(admin_client: Client, org_a: Organisation) -> None:
    page = admin_client.get(f"/organisations/{org_a.slug}/people/").content.decode()
    assert f'href="{_url(org_a)}"' in page


def test_a_malformed_saml_response_signs_nobody_in(
    admin_client: Client, org_a: Organisation
) -> None:
    saml = _form(
        protocol="saml",
        saml_entity_id="https://idp.northwind.example/saml",
        saml_metadata_xml=_idp_metadata(),
    )
    assert admin_client.post(_url(org_a), saml).status_code == 302
    browser = Client(HTTP_HOST="localhost")
    unsigned = (
        '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_1" '
        'Version="2.0" IssueInstant="2026-01-01T00:00:00Z"><samlp:Status><samlp:StatusCode '
        'Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status></samlp:Response>'
    )
    for garbage in (
        "not base64 at all!",
        base64.b64encode(b"<samlp:Response/>").decode(),  # not even well-formed XML
        base64.b64encode(unsigned.encode()).decode(),  # unsigned, with no assertion
    ):
        response = browser.post(
            "/accounts/saml/northwind/acs/", {"SAMLResponse": garbage}, follow=True
        )
        assert "nobody was signed in" in response.content.decode()
        assert browser.session.get("_auth_user_id") is None


def test_the_linked_identities_page_lists_only_the_persons_own_organisation(
    admin_client: Client, org_a: Organisation, org_b: Organisation, outsider: User
) -> None:
    assert admin_client.post(_url(org_a), _form()).status_code == 302
    person_of_a = Person.objects.filter(organisation=org_a, user__isnull=True).first()
    assert person_of_a is not None
    insider = make_user("insider@northwind.example", person=person_of_a)
    for user, shown in ((insider, True), (outsider, False)):
        client = Client()
        client.force_login(user)
        page = client.get("/accounts/3rdparty/")
        assert page.status_code == 200
        assert ("Northwind Group" in page.content.decode()) is shown
