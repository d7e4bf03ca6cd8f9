from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Meeting, SignOff, Step


class ReadOnlyAdmin(SimpleHistoryAdmin):
    """Steps and meetings are what sign-offs approve: they change only through the services, which keep the
    content hash and version right, so the admin shows them without editing."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Step)
class StepAdmin(ReadOnlyAdmin):
    list_display = ("name_nb", "project", "version", "kind")
    search_fields = ("name_nb", "project__name")


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ("title", "project", "type", "held_on")
    search_fields = ("title", "project__name")


@admin.register(SignOff)
class SignOffAdmin(ReadOnlyAdmin):
    """Sign-offs can be read here, never added, changed or deleted."""

    list_display = ("step", "signer", "role", "decision", "step_version", "signed_at")
    list_filter = ("decision", "role")
