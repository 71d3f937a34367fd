from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "upward.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self) -> None:
        from allauth.mfa import signals

        from .second_factor import record_second_factor_on_setup

        signals.authenticator_added.connect(
            record_second_factor_on_setup, dispatch_uid="upward-second-factor-on-setup"
        )
