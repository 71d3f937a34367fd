from django.apps import AppConfig


class MatchesConfig(AppConfig):
    name = "upward.matches"
    label = "matches"
    verbose_name = "Matching"

    def ready(self) -> None:
        from upward.core import navigation
        from upward.privacy import registry
        from upward.programmes import phases as programme_phases

        from . import demo, privacy, selectors  # noqa: F401 - demo registers its seeder
        from .phases import phase_refusals

        navigation.register_fact(selectors.HAS_PROPOSAL, selectors.has_proposal_fact)
        navigation.register("My match", "matches:mine", selectors.has_proposals, order=45)
        registry.register_exporter("matching", privacy.export_matching)
        registry.register_retention("matching", privacy.purge_matching)
        programme_phases.register_check(phase_refusals)
