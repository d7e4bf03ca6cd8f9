from django.contrib import admin

from projects.admin import NoWrites

from .models import ArchiveCase, Archiving, Screening


class ReadOnly(NoWrites, admin.ModelAdmin):
    """Read-only: the services hold the rules (sending once, receipts, screening by coordinators)."""


@admin.register(Archiving)
class ArchivingAdmin(ReadOnly):
    list_display = ("key", "project", "state", "attempts", "created_at", "sent_at", "receipt_at")
    list_filter = ("state", "trigger")
    search_fields = ("key", "message_id")
    list_select_related = ("project",)


@admin.register(ArchiveCase)
class ArchiveCaseAdmin(ReadOnly):
    list_display = ("project", "case_year", "case_sequence")
    list_select_related = ("project",)


@admin.register(Screening)
class ScreeningAdmin(ReadOnly):
    list_display = ("kind", "code", "legal_basis", "updated_at")
