from django.contrib import admin

from .models import Consent


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    list_display = ["user", "purpose", "scope_label", "channel", "given_at", "withdrawn_at"]
    list_filter = ["purpose", "channel"]
    search_fields = ["user__email", "purpose", "scope"]
    readonly_fields = [f.name for f in Consent._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
