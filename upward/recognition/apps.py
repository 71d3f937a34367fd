from django.apps import AppConfig


class RecognitionConfig(AppConfig):
    name = "upward.recognition"
    label = "recognition"
    verbose_name = "Recognition"

    def ready(self) -> None:
        from upward.consent import purposes
        from upward.core import navigation
        from upward.evidence import sections
        from upward.pairs import selectors as pair_selectors
        from upward.pairs import services as pair_services
        from upward.privacy import registry

        from . import demo, privacy, selectors, services  # noqa: F401 - demo registers its seeder

        if services.pair_completed not in pair_services.STATE_HOOKS:
            pair_services.STATE_HOOKS.append(services.pair_completed)

        purposes.register(
            purposes.Purpose(
                code=selectors.LISTING_PURPOSE,
                label="Recognition list",
                statement="So the programme's sponsors can see that you completed it.",
                wording=(
                    "I agree that my name, my role and the date I completed {scope} are shown "
                    "on the programme's recognition list to its sponsors and coordinators."
                ),
                version="1",
            )
        )
        navigation.register("Certificates", "recognition:mine", pair_selectors.has_pairs, order=50)
        navigation.register("Recognition", "recognition:index", selectors.sponsors_anything)
        registry.register_exporter("recognition", privacy.export_recognition, order=113)
        registry.register_eraser("recognition", privacy.erase_recognition, order=69)
        # Before the programme's applications (50), which hold the people the grants are about.
        registry.register_retention("recognition", privacy.purge_recognition, order=48)
        sections.register_section(
            sections.Section(
                key="stories", title="Success stories", order=30, build=selectors.stories_section
            )
        )
