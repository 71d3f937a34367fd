from django.apps import AppConfig


class SsoConfig(AppConfig):
    name = "upward.sso"
    label = "sso"
    verbose_name = "Single sign-on"

    def ready(self) -> None:
        from upward.privacy import registry

        from . import privacy

        registry.register_exporter("sso", privacy.export_sso, order=115)
        registry.register_eraser("sso", privacy.erase_sso, order=71)
