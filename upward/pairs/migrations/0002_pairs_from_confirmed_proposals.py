"""Every proposal both people had already accepted becomes a pair, preparing, with its history
starting at the moment it was confirmed."""

from django.db import migrations


def forwards(apps, schema_editor):
    Proposal = apps.get_model("matches", "Proposal")
    Pair = apps.get_model("pairs", "Pair")
    PairEvent = apps.get_model("pairs", "PairEvent")
    confirmed = Proposal.objects.filter(status="confirmed", pair__isnull=True).select_related(
        "programme", "leader", "mentor"
    )
    for proposal in confirmed.iterator():
        when = proposal.closed_at or proposal.published_at
        pair, created = Pair.objects.get_or_create(
            programme_id=proposal.programme_id,
            leader_id=proposal.leader_id,
            mentor_id=proposal.mentor_id,
            defaults={
                "proposal_id": proposal.pk,
                "cohort_id": proposal.leader.cohort_id or proposal.mentor.cohort_id,
                "reciprocal": proposal.programme.kind == "reciprocal",
                "since": when,
                "state_since": when,
            },
        )
        if created:
            PairEvent.objects.create(pair=pair, action="created")


class Migration(migrations.Migration):
    dependencies = [
        ("pairs", "0001_initial"),
        ("matches", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
