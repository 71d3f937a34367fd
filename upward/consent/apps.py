from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "upward.consent"
    label = "consent"
    verbose_name = "Consent ledger"

    def ready(self) -> None:
        from upward.core import navigation

        navigation.register(
            "My consents", "consent:mine", lambda user: user.is_authenticated, order=85
        )
