from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "upward.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self) -> None:
        from allauth.mfa import signals

        from upward.core import navigation

        from .second_factor import (
            HAS_AUTHENTICATOR,
            has_authenticator_fact,
            record_second_factor_on_setup,
        )

        signals.authenticator_added.connect(
            record_second_factor_on_setup, dispatch_uid="upward-second-factor-on-setup"
        )
        # Asked by the second-factor middleware on every privileged request: answered in the
        # facts query the menu needs anyway, read afresh from the database on each request.
        navigation.register_fact(HAS_AUTHENTICATOR, has_authenticator_fact)
        # The role grants, read by the middleware and the menu on every request, come back in
        # the same query (permissions._grants).
        from .models import RoleGrant

        navigation.register_user_rows(RoleGrant, "_upward_grants")
