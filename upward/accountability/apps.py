from django.apps import AppConfig


class AccountabilityConfig(AppConfig):
    name = "upward.accountability"
    label = "accountability"
    verbose_name = "Ideas, commitments and sponsorship"

    def ready(self) -> None:
        from upward.core import navigation
        from upward.evidence import sections
        from upward.pairs import selectors as pair_selectors
        from upward.privacy import registry

        from . import demo, privacy, selectors  # noqa: F401 - demo registers its seeder

        # The leader's commitments are reached from Ideas: a menu entry of their own would ask
        # the database on every page for everyone.
        navigation.register("Ideas", "accountability:hub", selectors.ideas_visible, order=50)
        navigation.register(
            "Sponsorship", "accountability:nominations", pair_selectors.has_pairs, order=52
        )
        registry.register_exporter("accountability", privacy.export_accountability, order=111)
        registry.register_eraser("accountability", privacy.erase_accountability, order=67)
        registry.register_retention("accountability", privacy.purge_accountability, order=46)
        sections.register_section(
            sections.Section(
                key=sections.COMMITMENTS,
                title="Commitments and follow-through",
                order=10,
                build=selectors.commitment_section,
            )
        )
