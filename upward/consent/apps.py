from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "upward.consent"
    label = "consent"
    verbose_name = "Consent ledger"

    def ready(self) -> None:
        from upward.core import navigation
        from upward.privacy import registry

        from . import privacy

        # Orders: see upward.privacy.registry.
        registry.register_exporter("consent", privacy.export_consent, order=60)
        registry.register_eraser("consent", privacy.erase_consent, order=60)
        navigation.register(
            "My consents", "consent:mine", lambda user: user.is_authenticated, order=85
        )
