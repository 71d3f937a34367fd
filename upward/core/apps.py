from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "upward.core"
    label = "core"
    verbose_name = "Upward"

    def ready(self) -> None:
        from . import navigation

        navigation.register("Home", "core:dashboard", lambda user: True, order=0)
        navigation.register("My profile", "core:me", lambda user: True, order=90)

        from django.core import checks

        from .checks import check_sqlite_in_production

        checks.register(check_sqlite_in_production, checks.Tags.database, deploy=True)
