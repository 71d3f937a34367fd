from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "upward.programmes"
    label = "programmes"
    verbose_name = "Programmes"
