"""The cohort app's notification choices and notices move here: its "posts" choice becomes the
``cohort_posts`` category, its "messages" choice ``cohort_messages``, and each notice (queued or
sent) keeps its person, programme, pair, digest flag and times. The cohort's tables go in its
next migration, which runs after this one."""

from django.db import migrations

EVENT_OF = {"post": "cohort_post", "reply": "cohort_reply", "message": "cohort_message"}


def _cohort_notices(apps):
    # The cohort's model has the same name as this app's, so it is reached through its manager.
    return apps.get_model("cohort", "Notice").objects


def forward(apps, schema_editor):
    NotificationPreference = apps.get_model("cohort", "NotificationPreference")
    Preference = apps.get_model("notifications", "Preference")
    Notice = apps.get_model("notifications", "Notice")
    choices = []
    for old in NotificationPreference.objects.all().iterator():
        choices.append(Preference(user_id=old.user_id, category="cohort_posts", every=old.posts))
        choices.append(
            Preference(user_id=old.user_id, category="cohort_messages", every=old.messages)
        )
    Preference.objects.bulk_create(choices, batch_size=500)
    Notice.objects.bulk_create(
        (
            Notice(
                user_id=old.user_id,
                event=EVENT_OF[old.kind],
                programme_id=old.programme_id,
                pair_id=old.pair_id,
                digest=old.digest,
                created_at=old.created_at,
                sent_at=old.sent_at,
            )
            for old in _cohort_notices(apps).all().iterator()
        ),
        batch_size=500,
    )


def backward(apps, schema_editor):
    NotificationPreference = apps.get_model("cohort", "NotificationPreference")
    Preference = apps.get_model("notifications", "Preference")
    Notice = apps.get_model("notifications", "Notice")
    kinds = {event: kind for kind, event in EVENT_OF.items()}
    per_user: dict[int, dict[str, str]] = {}
    for p in Preference.objects.filter(category__in=["cohort_posts", "cohort_messages"]):
        per_user.setdefault(p.user_id, {})[p.category] = p.every
    NotificationPreference.objects.bulk_create(
        NotificationPreference(
            user_id=user_id,
            posts=chosen.get("cohort_posts", "digest"),
            messages=chosen.get("cohort_messages", "each"),
        )
        for user_id, chosen in per_user.items()
    )
    cohort_notices = _cohort_notices(apps)
    cohort_notices.bulk_create(
        cohort_notices.model(
            user_id=n.user_id,
            kind=kinds[n.event],
            programme_id=n.programme_id,
            pair_id=n.pair_id,
            digest=n.digest,
            created_at=n.created_at,
            sent_at=n.sent_at,
        )
        for n in Notice.objects.filter(event__in=list(kinds))
    )
    # Moved back, so no longer here.
    Preference.objects.filter(category__in=["cohort_posts", "cohort_messages"]).delete()
    Notice.objects.filter(event__in=list(kinds)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("cohort", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, backward)]
