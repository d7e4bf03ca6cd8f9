from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Activity, ChecklistItem, Phase, ProcessTemplate


@admin.register(ProcessTemplate)
class ProcessTemplateAdmin(admin.ModelAdmin):
    """Templates are loaded from files (command or the coordinators' page), never edited here."""

    list_display = ("key", "version", "name_nb", "loaded_at")
    readonly_fields = [f.name for f in ProcessTemplate._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Phase)
class PhaseAdmin(SimpleHistoryAdmin):
    list_display = ("name_nb", "project", "order", "completed_at", "completed_by")
    list_filter = ("order",)
    search_fields = ("project__name",)
    readonly_fields = ("completed_at", "completed_by", "override_reason")


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ("name_nb", "project", "phase", "due_date")
    search_fields = ("name_nb", "project__name")


@admin.register(ChecklistItem)
class ChecklistItemAdmin(SimpleHistoryAdmin):
    list_display = ("text_nb", "project", "status", "mandatory", "assignee", "due_date")
    list_filter = ("status", "mandatory")
    search_fields = ("text_nb", "project__name")
    raw_id_fields = ("assignee", "completed_by")
