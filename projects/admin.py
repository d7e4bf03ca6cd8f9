from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Document, Membership, OrgUnit, Project, ProjectUnit, User


class UserCreateForm(UserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name")


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
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
class OrgUnitAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "parent", "leader")
    list_filter = ("kind",)
    search_fields = ("name",)
    autocomplete_fields = ("parent", "leader")


class ProjectUnitInline(admin.TabularInline):
    model = ProjectUnit
    extra = 0
    autocomplete_fields = ("unit",)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = ("name", "case_number", "kind", "status", "planned_move_in")
    list_filter = ("status", "kind")
    search_fields = ("name", "case_number")
    inlines = (ProjectUnitInline, MembershipInline)
    readonly_fields = ("created_by", "created_at")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ("user", "project", "role")
    list_filter = ("role",)
    search_fields = ("user__full_name", "user__email", "project__name")
    autocomplete_fields = ("user", "project")


@admin.register(Document)
class DocumentAdmin(SimpleHistoryAdmin):
    """Generated PDFs are read here; they are made through the pages (and the worker), never edited."""

    list_display = ("project", "kind", "version", "status", "generated_at", "requested_by")
    list_filter = ("kind", "status")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
