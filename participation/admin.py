from django.contrib import admin

from projects.admin import ReadOnlyAdmin

from .models import Meeting, SignOff, Step

# Steps and meetings are what sign-offs approve: they change only through the services, which keep the
# content hash and version right, so the admin shows them (and their history) without editing or reverting.


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
