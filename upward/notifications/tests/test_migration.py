"""The cohort's notification choices and notices move into this app with every row, and back."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("cohort", "0001_initial"), ("notifications", "0001_initial")]
AFTER = [("cohort", "0002_notifications_moved"), ("notifications", "0002_from_cohort")]


def _apps_at(targets: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_cohort_rows_move_and_come_back(leader: Any, mentor: Any, programme_a: Any) -> None:
    try:
        old = _apps_at(BEFORE)
        OldChoice = old.get_model("cohort", "NotificationPreference")
        OldNotice = old.get_model("cohort", "Notice")
        OldChoice.objects.create(user_id=leader.pk, posts="none", messages="digest")
        when = dt.datetime(2027, 3, 1, 9, tzinfo=dt.UTC)
        OldNotice.objects.create(
            user_id=mentor.pk,
            kind="post",
            programme_id=programme_a.pk,
            digest=True,
            created_at=when,
        )
        OldNotice.objects.create(
            user_id=mentor.pk, kind="message", digest=False, created_at=when, sent_at=when
        )

        new = _apps_at(AFTER)
        Preference = new.get_model("notifications", "Preference")
        Notice = new.get_model("notifications", "Notice")
        assert sorted(
            Preference.objects.filter(user_id=leader.pk).values_list("category", "every")
        ) == [("cohort_messages", "digest"), ("cohort_posts", "none")]
        assert sorted(
            Notice.objects.values_list("user_id", "event", "programme_id", "digest", "sent_at")
        ) == [
            (mentor.pk, "cohort_message", None, False, when),
            (mentor.pk, "cohort_post", programme_a.pk, True, None),
        ]

        back = _apps_at(BEFORE)
        assert list(
            back.get_model("cohort", "NotificationPreference").objects.values_list(
                "user_id", "posts", "messages"
            )
        ) == [(leader.pk, "none", "digest")]
        assert back.get_model("cohort", "Notice").objects.count() == 2
        assert not back.get_model("notifications", "Notice").objects.exists()
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
