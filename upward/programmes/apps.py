from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "upward.programmes"
    label = "programmes"
    verbose_name = "Programmes"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from upward.consent import purposes
        from upward.core import navigation
        from upward.privacy import registry

        from . import demo, identity, privacy, selectors, working_style  # noqa: F401 - demo seeder
        from .models import SensitiveAccess
        from .services import delete_identity_held_under

        identity.register_purposes()
        purposes.register_withdrawal_handler("identity.", delete_identity_held_under)
        working_style.register_purpose()
        purposes.register_withdrawal_handler(working_style.PURPOSE, working_style.delete_held_under)
        # Orders: see upward.privacy.registry (this app registers before the privacy app does).
        registry.register_programme_people(privacy.programme_applicants)
        registry.register_exporter("programmes", privacy.export_programmes, order=50)
        registry.register_eraser("programmes", privacy.erase_programme_log, order=50)
        registry.register_retention("programme_records", privacy.purge_programme_records, order=50)
        post_save.connect(
            privacy.log_sensitive_access,
            sender=SensitiveAccess,
            dispatch_uid="upward_sensitive_read",
        )
        navigation.register_fact(selectors.HAS_PERSON, selectors.has_person_fact)
        navigation.register("Programmes", "programmes:index", selectors.sees_programmes, order=20)
        navigation.register(
            "My programmes",
            "programmes:mine",
            lambda user: navigation.fact(user, selectors.HAS_PERSON),
            order=40,
        )
