from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "upward.directory"
    label = "directory"
    verbose_name = "People directory"

    def ready(self) -> None:
        from upward.accounts import permissions
        from upward.core import navigation
        from upward.privacy import registry

        from . import sync_privacy

        navigation.register(
            "Organisations",
            "directory:organisations",
            lambda user: user.is_superuser or bool(permissions.administered_organisation_ids(user)),
            order=30,
        )
        registry.register_exporter("hr_system", sync_privacy.export_hris, order=117)
        registry.register_eraser("hr_system", sync_privacy.erase_hris, order=73)
        registry.register_retention("hr_system", sync_privacy.purge_hris, order=39)
