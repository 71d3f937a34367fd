from django.apps import AppConfig


class RunningConfig(AppConfig):
    name = "upward.running"
    label = "running"
    verbose_name = "Running the relationship"

    def ready(self) -> None:
        from upward.core import navigation
        from upward.pairs import selectors as pair_selectors

        navigation.register("Meetings", "running:mine", pair_selectors.has_pairs, order=48)
