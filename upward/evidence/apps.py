from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "upward.evidence"
    label = "evidence"
    verbose_name = "Evidence"

    def ready(self) -> None:
        from upward.core import navigation
        from upward.privacy import registry

        from . import demo, privacy, selectors  # noqa: F401 - demo registers its seeder

        navigation.register_fact(selectors.OPEN_SURVEY, selectors.open_survey_fact)
        navigation.register("My surveys", "evidence:surveys", selectors.has_open_surveys, order=48)
        registry.register_exporter("evidence", privacy.export_evidence, order=110)
        registry.register_eraser("evidence", privacy.erase_evidence, order=66)
