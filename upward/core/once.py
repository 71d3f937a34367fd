"""Background work done at most once, however many times its task runs.

    with first_time(f"pair-active-email:{pair.pk}:{user.pk}") as first:
        if first:
            notify(...)

The key is claimed in the same transaction as the work: if the work raises, the claim is rolled
back and a later run tries again; two runs at once wait on the key's unique index, and the second
finds it taken. Email is not transactional, so a worker killed between sending and committing
may send once more; never more than that.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import IntegrityError, transaction

from .models import TaskDone


@contextmanager
def first_time(key: str) -> Iterator[bool]:
    with transaction.atomic():
        try:
            with transaction.atomic():
                TaskDone.objects.create(key=key[:200])
        except IntegrityError:
            yield False
            return
        yield True
