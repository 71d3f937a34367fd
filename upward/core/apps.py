from typing import Any

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "upward.core"
    label = "core"
    verbose_name = "Upward"

    def ready(self) -> None:
        from . import lookups, navigation  # noqa: F401 - lookups registers field__any_of
        from .observability import configure_structlog

        configure_structlog()

        from django.db.backends.signals import connection_created

        from .page_cache import install

        # Every statement passes core.page_cache.watch: a write moves the tables' generations.
        connection_created.connect(install, dispatch_uid="upward-page-cache")
        _drop_queue_dashboard()

        navigation.register("Home", "core:dashboard", lambda user: True, order=0)
        navigation.register("My profile", "core:me", lambda user: True, order=90)

        from django.core import checks

        from .checks import check_sqlite_in_production

        checks.register(check_sqlite_in_production, checks.Tags.database, deploy=True)

        from django.db.models.signals import post_migrate

        # Sent once per app with models (this one has none); creating the table is idempotent.
        post_migrate.connect(create_cache_table, dispatch_uid="upward-cache-table")


def create_cache_table(*, using: str = "default", **kwargs: Any) -> None:
    """`migrate` also creates the database cache's table when the settings use one
    (production without Redis); it does nothing for other caches or when the table exists."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


def _drop_queue_dashboard() -> None:
    """django-rq is installed for its worker command; its admin dashboard (with a token-only
    stats view) stays out: queue figures are in the token-protected /metrics."""
    from django.contrib import admin
    from django_rq.models import Dashboard

    if admin.site.is_registered(Dashboard):
        admin.site.unregister(Dashboard)
