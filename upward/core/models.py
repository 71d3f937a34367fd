from __future__ import annotations

from django.db import models


class TaskDone(models.Model):
    """One line per piece of background work done once for good (an email sent for an event),
    so a task that runs twice (a retry, a worker restarted mid-task) does it only once.
    The key names the work with ids only, never a name or an address."""

    key = models.CharField(max_length=200, unique=True)
    done_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key
