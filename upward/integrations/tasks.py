"""Background work of integrations: sending webhook deliveries, retried with backoff.

With a backend that can defer (the database worker, RQ), a failed delivery re-enqueues itself
for its next try; ``upward webhooks_retry`` (safe to run every minute) sends whatever is due in
any case, so no delivery is lost with a backend that cannot defer.
"""

from __future__ import annotations

from django_tasks import default_task_backend, task

from upward.privacy.audit import audit_where


@task()
def webhook_deliver(delivery_id: int) -> str:
    from .models import WebhookDelivery
    from .webhooks import delivery_attempt

    delivery = WebhookDelivery.objects.filter(pk=delivery_id).first()
    if delivery is None:
        return "gone"
    with audit_where("task: webhook_deliver"):
        delivery = delivery_attempt(delivery)
    if (
        delivery.state == WebhookDelivery.State.PENDING
        and delivery.next_attempt_at is not None
        and default_task_backend.supports_defer
    ):
        webhook_deliver.using(run_after=delivery.next_attempt_at).enqueue(delivery.pk)
    return str(delivery.state)


@task()
def webhooks_retry_due() -> int:
    from .webhooks import deliveries_due, delivery_attempt

    count = 0
    with audit_where("task: webhooks_retry_due"):
        for delivery in deliveries_due().select_related("endpoint")[:500]:
            delivery_attempt(delivery)
            count += 1
    return count
