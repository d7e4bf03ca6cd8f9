from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Meeting, ProtocolDocument, SignOff, Step


@admin.register(Step)
class StepAdmin(SimpleHistoryAdmin):
    list_display = ("name_nb", "project", "version", "kind")
    search_fields = ("name_nb", "project__name")
    readonly_fields = ("version", "content_hash", "version_at")


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ("title", "project", "type", "held_on")
    search_fields = ("title", "project__name")


@admin.register(SignOff)
class SignOffAdmin(admin.ModelAdmin):
    """Sign-offs can be read here, never added, changed or deleted."""

    list_display = ("step", "signer", "role", "decision", "step_version", "signed_at")
    list_filter = ("decision", "role")
    readonly_fields = [f.name for f in SignOff._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ProtocolDocument)
class ProtocolDocumentAdmin(admin.ModelAdmin):
    list_display = ("project", "version", "generated_at", "sha256")
    readonly_fields = [f.name for f in ProtocolDocument._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
