"""The admin shows ideas without any author for an anonymous one: the idea holds none, and the
author field is left off the forms altogether so that nobody can attach one."""

from django.contrib import admin

from .models import Commitment, CommitmentUpdate, Idea, IdeaSession, Nomination


@admin.register(IdeaSession)
class IdeaSessionAdmin(admin.ModelAdmin):
    list_display = ["title", "programme", "opens_at", "closes_at", "votes_per_person"]


@admin.register(Idea)
class IdeaAdmin(admin.ModelAdmin):
    list_display = ["pk", "session", "anonymous", "adopted"]
    list_filter = ["anonymous", "adopted"]
    # Never the author: on a named idea it is the participant's own business and the pages show
    # it; the admin lists no one, so an anonymous idea cannot be told apart by an empty cell.
    exclude = ["author", "normalised"]
    readonly_fields = ["anonymous", "submitted_on"]


class UpdateInline(admin.TabularInline):
    model = CommitmentUpdate
    extra = 0


@admin.register(Commitment)
class CommitmentAdmin(admin.ModelAdmin):
    list_display = ["pk", "programme", "owner", "status", "due_on"]
    list_filter = ["status"]
    exclude = ["idea"]
    inlines = [UpdateInline]


@admin.register(Nomination)
class NominationAdmin(admin.ModelAdmin):
    list_display = ["pk", "kind", "state", "outcome", "asked_at"]
    list_filter = ["state", "outcome"]
