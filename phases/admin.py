from django.contrib import admin

from projects.admin import ReadOnlyAdmin

from .models import Activity, ChecklistItem, Phase, ProcessTemplate


@admin.register(ProcessTemplate)
class ProcessTemplateAdmin(ReadOnlyAdmin):
    """Templates are loaded from files (command or the coordinators' page), never edited or deleted here."""

    list_display = ("key", "version", "name_nb", "loaded_at")


@admin.register(Phase)
class PhaseAdmin(ReadOnlyAdmin):
    """Phases are completed and reopened through the gate (phase_complete, phase_reopen), never here."""

    list_display = ("name_nb", "project", "order", "completed_at", "completed_by")
    list_select_related = ("project", "completed_by")
    list_filter = ("order",)
    search_fields = ("project__name",)


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    list_display = ("name_nb", "project", "phase", "due_date")
    list_select_related = ("project", "phase")
    search_fields = ("name_nb", "project__name")


@admin.register(ChecklistItem)
class ChecklistItemAdmin(ReadOnlyAdmin):
    """Items are ticked, planned and marked not applicable through the services, which check who may and
    whether the phase is completed."""

    list_display = ("text_nb", "project", "status", "mandatory", "assignee", "due_date")
    list_select_related = ("project", "assignee")
    list_filter = ("status", "mandatory")
    search_fields = ("text_nb", "project__name")
