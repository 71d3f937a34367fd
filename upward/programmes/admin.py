from django.contrib import admin

from .models import (
    Application,
    Cohort,
    Invitation,
    InvitationWave,
    Programme,
    ProgrammeLog,
    ReadinessItem,
    SensitiveAccess,
)


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "phase", "starts_on", "ends_on"]
    list_filter = ["kind", "phase"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    exclude = ["matching_policy"]


@admin.register(ReadinessItem)
class ReadinessItemAdmin(admin.ModelAdmin):
    list_display = ["title", "programme", "status", "owner"]
    list_filter = ["status"]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "programme", "starts_on", "capacity"]


@admin.register(InvitationWave)
class InvitationWaveAdmin(admin.ModelAdmin):
    list_display = ["programme", "number", "side", "created_at"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["person", "programme", "side", "status", "sent_at"]
    list_filter = ["status", "side"]
    raw_id_fields = ["person", "wave"]
    exclude = ["nonce"]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    # Answers are encrypted and may be sensitive: screening happens in the product, where
    # every look at sensitive answers is logged, not here.
    list_display = ["person", "programme", "side", "status", "eligible", "submitted_at"]
    list_filter = ["status", "side", "eligible"]
    raw_id_fields = ["person", "user", "invitation", "cohort"]
    exclude = ["answers"]


@admin.register(ProgrammeLog)
class ProgrammeLogAdmin(admin.ModelAdmin):
    list_display = ["created_at", "programme", "actor", "action", "summary"]
    list_filter = ["action"]

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(SensitiveAccess)
class SensitiveAccessAdmin(admin.ModelAdmin):
    list_display = ["created_at", "programme", "viewer", "application", "reason"]

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
