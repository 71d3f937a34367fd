from django.apps import AppConfig


class PreparationConfig(AppConfig):
    name = "upward.preparation"
    label = "preparation"
    verbose_name = "Preparation"

    def ready(self) -> None:
        from upward.core import navigation
        from upward.pairs import selectors as pair_selectors
        from upward.pairs import services as pair_services
        from upward.privacy import registry

        from . import demo, privacy  # noqa: F401 - demo registers its seeder
        from .services import agreement

        if agreement.agreement_start_for not in pair_services.FORMED_HOOKS:
            pair_services.FORMED_HOOKS.append(agreement.agreement_start_for)
        navigation.register("My pair", "preparation:mine", pair_selectors.has_pairs, order=46)
        navigation.register(
            "My training", "preparation:training", pair_selectors.has_pairs, order=47
        )
        registry.register_exporter("preparation", privacy.export_preparation, order=106)
        registry.register_eraser("preparation", privacy.erase_preparation, order=65)
        # Before the programme's applications go (order 50), which takes the pairs with them.
        registry.register_retention("preparation", privacy.purge_preparation, order=44)
