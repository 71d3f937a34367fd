from django.contrib import admin

from .models import DirectoryImport, Organisation, Person


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "email_domain", "mentor_load_cap"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "employee_id", "organisation", "job_title", "grade_level", "active"]
    list_filter = ["organisation", "active"]
    search_fields = ["name", "employee_id", "email"]
    raw_id_fields = ["manager", "user"]
    list_select_related = ["organisation"]


@admin.register(DirectoryImport)
class DirectoryImportAdmin(admin.ModelAdmin):
    list_display = ["filename", "organisation", "status", "created_at", "finished_at"]
    list_filter = ["status"]
    exclude = ["content"]
    readonly_fields = [
        "organisation",
        "uploaded_by",
        "filename",
        "status",
        "summary",
        "errors",
        "progress",
        "finished_at",
        "deactivate_missing",
    ]
