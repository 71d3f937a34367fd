"""Giving and withdrawing consent: the ledger keeps the words, the time and the channel."""

from __future__ import annotations

from typing import Any

import pytest

from upward.consent import selectors
from upward.consent.errors import ConsentError
from upward.consent.models import Channel, Consent
from upward.consent.services import consent_give, consent_withdraw, consent_withdraw_purpose


def test_give_records_the_exact_words_version_time_and_channel(leader: Any, purpose: Any) -> None:
    consent = consent_give(
        user=leader,
        purpose=purpose.code,
        channel=Channel.WEB,
        scope="programme:1",
        scope_label="Reverse Mentoring A",
    )
    assert consent.wording == "I agree to receive news about Reverse Mentoring A."
    assert consent.wording_version == "1"
    assert consent.channel == "web"
    assert consent.given_at is not None
    assert consent.person == leader.person
    assert selectors.has_consent(user=leader, purpose=purpose.code, scope="programme:1")
    assert not selectors.has_consent(user=leader, purpose=purpose.code, scope="programme:2")


def test_giving_again_keeps_one_active_consent(leader: Any, purpose: Any) -> None:
    first = consent_give(user=leader, purpose=purpose.code, channel=Channel.WEB)
    second = consent_give(user=leader, purpose=purpose.code, channel=Channel.API)
    assert first.pk == second.pk
    assert Consent.objects.filter(user=leader, withdrawn_at__isnull=True).count() == 1


def test_new_wording_closes_the_old_record_and_stores_the_new_words(
    leader: Any, purpose: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = consent_give(user=leader, purpose=purpose.code, channel=Channel.WEB)
    from upward.consent import purposes

    newer = purposes.Purpose(
        purpose.code, purpose.label, purpose.statement, "New words for {scope}.", "2"
    )
    monkeypatch.setitem(purposes._PURPOSES, purpose.code, newer)
    new = consent_give(user=leader, purpose=purpose.code, channel=Channel.WEB)
    old.refresh_from_db()
    assert old.withdrawn_at is not None
    assert new.wording == "New words for Upward." and new.wording_version == "2"
    assert purpose.removed == []  # a replaced consent keeps its data


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"purpose": "nope.nothing", "channel": "web"}, "no consent purpose"),
        ({"channel": "carrier-pigeon"}, "not a way of giving consent"),
        ({"channel": "web", "wording_version": "0"}, "wording of this consent has changed"),
        ({"channel": "paper"}, "must say who recorded it"),
    ],
)
def test_bad_requests_are_refused_and_save_nothing(
    leader: Any, purpose: Any, kwargs: dict[str, Any], message: str
) -> None:
    kwargs.setdefault("purpose", purpose.code)
    with pytest.raises(ConsentError, match=message):
        consent_give(user=leader, **kwargs)
    assert not Consent.objects.exists()


def test_paper_consent_names_who_recorded_it(leader: Any, coordinator: Any, purpose: Any) -> None:
    consent = consent_give(
        user=leader, purpose=purpose.code, channel=Channel.PAPER, recorded_by=coordinator
    )
    assert consent.recorded_by == coordinator


def test_withdrawal_keeps_the_record_and_calls_the_data_handlers(leader: Any, purpose: Any) -> None:
    consent = consent_give(user=leader, purpose=purpose.code, channel=Channel.WEB)
    consent_withdraw(consent=consent, channel=Channel.WEB)
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None and consent.withdrawn_channel == "web"
    assert purpose.removed == [consent]
    assert not selectors.has_consent(user=leader, purpose=purpose.code)
    with pytest.raises(ConsentError, match="already withdrawn"):
        consent_withdraw(consent=consent, channel=Channel.WEB)
    assert consent_withdraw_purpose(user=leader, purpose=purpose.code, channel="web") is None
    # Consent can be given again after withdrawal.
    again = consent_give(user=leader, purpose=purpose.code, channel=Channel.WEB)
    assert again.pk != consent.pk


def test_active_consent_ids_in_one_query(
    leader: Any, mentor: Any, purpose: Any, django_assert_num_queries: Any
) -> None:
    a = consent_give(user=leader, purpose=purpose.code, channel=Channel.WEB)
    b = consent_give(user=mentor, purpose=purpose.code, channel=Channel.WEB)
    consent_withdraw(consent=b, channel=Channel.WEB)
    with django_assert_num_queries(1):
        assert selectors.active_consent_ids(consent_ids=[a.pk, b.pk]) == {a.pk}
