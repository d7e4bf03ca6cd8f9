from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import GeneratedDocument, Job, Membership, OrgUnit, Project, ProjectUnit, User
from .search import FoldedAdminSearch


class HistoryAdmin(SimpleHistoryAdmin):
    """History is read in the admin, never reverted. simple-history's revert form saves the old row whatever
    has_change_permission says, so a POST to it is refused here: a revert would write around the services
    (a step's content without its hash and version, a completed phase, a stored SHA-256)."""

    def has_change_history_permission(self, request, obj=None):
        return False

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        # Rows written once (templates, sent step versions) keep no history table: Django's own page (the
        # admin's log, empty here) instead of simple-history's, which needs one.
        if not hasattr(self.model._meta, "simple_history_manager_attribute"):
            response = admin.ModelAdmin.history_view(self, request, object_id, extra_context)
            if hasattr(response, "template_name"):
                response.template_name = "admin/object_history.html"
            return response
        return super().history_view(request, object_id, extra_context)


class NoWrites:
    """Nothing is added, changed or deleted here (a mixin before the admin class)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(NoWrites, HistoryAdmin):
    """Rows whose rules live in the services (projects, memberships, phases, items, steps, sign-offs …) are
    read here, never added, changed or deleted: the pages call the services, the admin does not.

    A list page reads a fixed number of queries and its first page from an index: newest first by primary key
    (the models' own orderings sort whole tables over joins: 178 000 checklist items by phase and activity
    order), the related rows its columns show joined in (`list_select_related`), and no second count of the
    whole table under a filter."""

    ordering = ("-pk",)
    show_full_result_count = False

    def has_view_permission(self, request, obj=None):
        # Superusers read everything here; their status gives no permission on projects in the app itself.
        return request.user.is_active and request.user.is_superuser or super().has_view_permission(request, obj)


class ReadOnlyInline(NoWrites, admin.TabularInline):
    extra = 0


class UserCreateForm(UserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name")


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(FoldedAdminSearch, HistoryAdmin, BaseUserAdmin):
    form = UserEditForm
    add_form = UserCreateForm
    ordering = ("full_name", "email")
    list_display = ("email", "full_name", "is_active", "is_staff")
    list_filter = ("is_active", "is_staff", "groups")
    search_fields = ("email", "full_name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("full_name", "phone", "preferred_language")}),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),)


@admin.register(OrgUnit)
class OrgUnitAdmin(FoldedAdminSearch, HistoryAdmin):
    list_display = ("name", "kind", "parent", "leader")
    list_select_related = ("parent", "leader")
    list_filter = ("kind",)
    search_fields = ("name",)
    autocomplete_fields = ("parent", "leader")


class ProjectUnitInline(ReadOnlyInline):
    model = ProjectUnit


class MembershipInline(ReadOnlyInline):
    model = Membership


@admin.register(Project)
class ProjectAdmin(FoldedAdminSearch, ReadOnlyAdmin):
    """Projects are created and changed on their pages (project_create, project_update), members on the
    members page (which keeps an owner and keeps the employer's side out of the representatives' roles)."""

    list_display = ("name", "case_number", "kind", "status", "planned_move_in")
    list_filter = ("status", "kind")
    search_fields = ("name", "case_number")
    inlines = (ProjectUnitInline, MembershipInline)


@admin.register(Membership)
class MembershipAdmin(FoldedAdminSearch, ReadOnlyAdmin):
    list_display = ("user", "project", "role")
    list_select_related = ("user", "project")
    list_filter = ("role",)
    search_fields = ("user__full_name", "user__email", "project__name")


@admin.register(GeneratedDocument)
class DocumentAdmin(ReadOnlyAdmin):
    """Generated PDFs are read here; they are made through the pages (and the worker), never edited."""

    list_display = ("project", "kind", "version", "status", "generated_at", "requested_by")
    list_select_related = ("project", "requested_by")
    list_filter = ("kind", "status")


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    """The outbox of deferred work (projects.outbox), to see what waits or failed and why; the worker and the
    pages' "try again" change it, never the admin."""

    list_display = ("key", "kind", "state", "attempts", "created_at", "finished_at")
    list_filter = ("kind", "state")
    search_fields = ("key",)
