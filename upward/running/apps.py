from django.apps import AppConfig


class RunningConfig(AppConfig):
    name = "upward.running"
    label = "running"
    verbose_name = "Running the relationship"

    def ready(self) -> None:
        from upward.core import navigation
        from upward.pairs import selectors as pair_selectors
        from upward.privacy import registry

        from . import demo, privacy  # noqa: F401 - demo registers its seeder

        navigation.register("Meetings", "running:mine", pair_selectors.has_pairs, order=48)
        registry.register_exporter("running", privacy.export_running, order=108)
        registry.register_eraser("running", privacy.erase_running, order=64)
        # Before preparation (44) and the programme's applications (50), which take the pairs.
        registry.register_retention("running", privacy.purge_running, order=43)
        # Reflections are deliberately not registered in the admin: nobody but the author,
        # not even a superuser, reads one.
