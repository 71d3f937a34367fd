from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "upward.support"
    label = "support"
    verbose_name = "Support"

    def ready(self) -> None:
        from upward.core import navigation
        from upward.pairs import selectors as pair_selectors
        from upward.pairs import services as pair_services
        from upward.privacy import registry

        from . import demo, permissions, privacy, services  # noqa: F401 - demo registers its seeder

        if services.pair_step_notify not in pair_services.STATE_HOOKS:
            pair_services.STATE_HOOKS.append(services.pair_step_notify)

        navigation.register("Support", "support:mine", pair_selectors.has_pairs, order=48)
        navigation.register(
            "Concerns inbox", "support:inbox", permissions.may_handle_anywhere, order=49
        )
        registry.register_exporter("support", privacy.export_support, order=107)
        registry.register_eraser("support", privacy.erase_support, order=63)
        registry.register_retention("support", privacy.purge_support, order=42)
