from django.apps import AppConfig


class PairsConfig(AppConfig):
    name = "upward.pairs"
    label = "pairs"
    verbose_name = "Pairs"

    def ready(self) -> None:
        from upward.core import navigation
        from upward.privacy import registry

        from . import privacy, selectors

        navigation.register_fact(selectors.IN_PAIR, selectors.in_pair_fact)

        registry.register_exporter("pairs", privacy.export_pairs, order=105)
        # Before the programme's applications go (order 50), which takes the pairs with them.
        registry.register_retention("pairs", privacy.purge_pairs, order=45)
