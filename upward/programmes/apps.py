from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "upward.programmes"
    label = "programmes"
    verbose_name = "Programmes"

    def ready(self) -> None:
        from upward.consent import purposes
        from upward.core import navigation

        from . import demo, identity, selectors  # noqa: F401 - demo registers its seeder
        from .services import delete_identity_held_under

        identity.register_purposes()
        purposes.register_withdrawal_handler("identity.", delete_identity_held_under)
        navigation.register(
            "Programmes",
            "programmes:index",
            lambda user: (
                selectors.can_set_up_programmes(user)
                or selectors.coordinated_programmes(user).exists()
            ),
            order=20,
        )
        navigation.register(
            "My programmes",
            "programmes:mine",
            lambda user: selectors.person_of(user) is not None,
            order=40,
        )
