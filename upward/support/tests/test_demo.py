"""The demo: the wellbeing lead's inbox holds concerns in each state, one of them overdue, and
the programme lists wellbeing resources; seeding again changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from upward.accounts.models import User
from upward.core.demo import seed_demo
from upward.support import selectors
from upward.support.models import Concern, Resource

pytestmark = pytest.mark.django_db


def test_the_wellbeing_leads_inbox_holds_each_state_one_overdue(tmp_path: Path) -> None:
    with override_settings(DATA_DIR=tmp_path):
        seed_demo(size=1200)
        seed_demo(size=1200)
    lead = User.objects.get(email__startswith="wellbeing@")
    inbox = list(selectors.concerns_for_handler(lead))
    assert sorted(c.state for c in inbox) == ["closed", "in_progress", "new", "triaged"]
    assert [c.state for c in inbox if selectors.is_overdue(c)] == ["new"]
    assert Concern.objects.count() == 4 and Resource.objects.count() == 3
    client = Client()
    client.force_login(lead)
    page = client.get(reverse("support:inbox")).content.decode()
    assert page.count("overdue") >= 1 and "someone who asked to stay anonymous" in page.lower()
