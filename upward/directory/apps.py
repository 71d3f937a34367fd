from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "upward.directory"
    label = "directory"
    verbose_name = "People directory"

    def ready(self) -> None:
        from upward.accounts import permissions
        from upward.core import navigation

        navigation.register(
            "Organisations",
            "directory:organisations",
            lambda user: user.is_superuser or bool(permissions.administered_organisation_ids(user)),
            order=30,
        )
