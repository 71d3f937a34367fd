"""A person's linked identities are in their export and go with their erasure."""

from __future__ import annotations

from allauth.socialaccount.models import SocialAccount

from personas import make_user
from upward.directory.models import Organisation, Person
from upward.privacy.registry import DataSubject
from upward.sso.privacy import erase_sso, export_sso


def test_linked_identities_are_exported_and_erased(org_a: Organisation) -> None:
    person = Person.objects.filter(organisation=org_a).first()
    assert person is not None
    user = make_user("linked@northwind.example", person=person)
    other = make_user("other@northwind.example")
    SocialAccount.objects.create(
        user=user, provider="org-northwind", uid="42", extra_data={"userinfo": {"sub": "42"}}
    )
    SocialAccount.objects.create(user=other, provider="org-northwind", uid="43")

    exported = export_sso(DataSubject.of_user(user))
    assert [(i["identity_provider"], i["identity_id"]) for i in exported["linked_identities"]] == [
        ("org-northwind", "42")
    ]
    assert exported["linked_identities"][0]["claims"] == {"userinfo": {"sub": "42"}}

    assert erase_sso(DataSubject.of_user(user)) == {"linked_identities_deleted": 1}
    assert not SocialAccount.objects.filter(user=user).exists()
    assert SocialAccount.objects.filter(user=other).exists()
