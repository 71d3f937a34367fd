from django.contrib import admin

from .models import Programme


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "phase", "starts_on", "ends_on"]
    list_filter = ["kind", "phase"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
