from django.apps import AppConfig


class CohortConfig(AppConfig):
    name = "upward.cohort"
    label = "cohort"
    verbose_name = "Cohort life"

    def ready(self) -> None:
        from upward.core import navigation
        from upward.evidence import sections
        from upward.privacy import registry

        from . import demo, privacy, selectors  # noqa: F401 - demo registers its seeder

        navigation.register_fact(selectors.ACCEPTED, selectors.accepted_fact)
        navigation.register("Cohort space", "cohort:spaces", selectors.has_space, order=49)
        registry.register_exporter("cohort", privacy.export_cohort, order=112)
        registry.register_eraser("cohort", privacy.erase_cohort, order=68)
        # After the pairs (45), which take the threads along; before the programme records (50).
        registry.register_retention("cohort", privacy.purge_cohort, order=47)
        sections.register_section(
            sections.Section(
                key="cohort_events",
                title="Cohort events and attendance",
                order=20,
                build=selectors.events_section,
            )
        )
        # Nothing of this app is registered in the admin: a pair's messages are the two
        # people's alone, not even a superuser's to read.
