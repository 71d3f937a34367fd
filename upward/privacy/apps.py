from typing import Any

from django.apps import AppConfig


def _record_where(sender: Any, history_instance: Any, **kwargs: Any) -> None:
    from .audit import current_where

    if hasattr(history_instance, "history_where"):
        history_instance.history_where = current_where()


def _skip_sign_in_history(sender: Any, instance: Any, update_fields: Any = None, **kw: Any) -> None:
    # Signing in only stamps last_login, which history does not keep: no history row for it.
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        instance.skip_history_when_saving = True


def _after_user_save(sender: Any, instance: Any, **kwargs: Any) -> None:
    if hasattr(instance, "skip_history_when_saving"):
        del instance.skip_history_when_saving


class PrivacyConfig(AppConfig):
    name = "upward.privacy"
    label = "privacy"
    verbose_name = "Privacy and security"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_save, pre_save
        from simple_history.signals import pre_create_historical_record

        from upward.accounts import permissions
        from upward.core import navigation

        from . import builtin, sessions

        builtin.register_builtins()
        sessions.connect()
        pre_create_historical_record.connect(_record_where, dispatch_uid="upward_history_where")
        user_model = get_user_model()
        pre_save.connect(_skip_sign_in_history, sender=user_model, dispatch_uid="upward_skip_login")
        # Connected after simple-history's own post_save, so it runs after history is decided.
        post_save.connect(_after_user_save, sender=user_model, dispatch_uid="upward_skip_login_end")

        navigation.register(
            "Audit",
            "privacy:audit",
            lambda user: permissions.is_privileged(user),
            order=80,
        )
        navigation.register(
            "Data requests",
            "privacy:requests",
            lambda user: user.is_superuser or bool(permissions.administered_organisation_ids(user)),
            order=85,
        )
