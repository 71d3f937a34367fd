"""A task run twice does its work once: the activation emails of a pair go out once."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from upward.core.models import TaskDone
from upward.core.once import first_time
from upward.pairs.models import Pair
from upward.preparation.emails import activation_emails_send
from upward.preparation.tests.factory import make_pair


@pytest.mark.django_db
def test_first_time_is_true_once_per_key() -> None:
    with first_time("k:1") as first:
        assert first
    with first_time("k:1") as again:
        assert not again
    with first_time("k:2") as other:
        assert other
    assert TaskDone.objects.count() == 2


@pytest.mark.django_db
def test_work_that_fails_leaves_no_claim_so_a_retry_does_it() -> None:
    with pytest.raises(RuntimeError), first_time("k:3") as first:
        assert first
        raise RuntimeError("the mail server is down")
    with first_time("k:3") as retry:
        assert retry


@pytest.mark.django_db
def test_the_activation_emails_task_run_twice_sends_each_email_once(
    programme_a: Any, leader: Any, mentor: Any, coordinator: Any
) -> None:
    pair = make_pair(programme_a, leader, mentor)
    Pair.objects.filter(pk=pair.pk).update(state=Pair.State.ACTIVE)
    mail.outbox.clear()
    assert activation_emails_send(pair_ids=[pair.pk]) == 2
    assert len(mail.outbox) == 2
    assert activation_emails_send(pair_ids=[pair.pk]) == 0
    assert len(mail.outbox) == 2
