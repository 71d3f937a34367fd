from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "upward.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from upward.core import navigation
        from upward.privacy import registry

        from . import privacy

        navigation.register(
            "Notifications", "notifications:settings", lambda user: user.is_authenticated, order=87
        )
        registry.register_exporter("notifications", privacy.export_notifications, order=116)
        registry.register_eraser("notifications", privacy.erase_notifications, order=72)
        # Before support (42) and every app whose programme data goes after it: a programme's
        # queued notices go first, as they point at its pairs.
        registry.register_retention("notifications", privacy.purge_notifications, order=40)
