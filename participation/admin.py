from django.contrib import admin
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from projects.admin import ReadOnlyAdmin

from . import snapshot
from .models import Meeting, SignOff, Step, StepVersion


class ShownContentMixin:
    """The signed content as a reader without any right to sensitive words reads it (participation/snapshot.py):
    an administrator administers the system, not projects, so the admin shows a sensitive measure's neutral text
    only, on the row's page and on its history's pages."""

    exclude = ("content",)

    @admin.display(description=_("sent content"))
    def shown_content(self, obj):
        step = obj if isinstance(obj, Step) else getattr(obj, "step", obj)
        text = snapshot.shown_text(obj.content, project=step.project, reader=None)
        return format_html('<pre class="text-break" style="white-space: pre-wrap">{}</pre>', text)


# Steps and meetings are what sign-offs approve: they change only through the services, which keep the
# content hash and version right, so the admin shows them (and their history) without editing or reverting.


@admin.register(Step)
class StepAdmin(ShownContentMixin, ReadOnlyAdmin):
    list_display = ("name_nb", "project", "version", "kind")
    list_select_related = ("project",)
    readonly_fields = ("shown_content",)
    search_fields = ("name_nb", "project__name")


@admin.register(StepVersion)
class StepVersionAdmin(ShownContentMixin, ReadOnlyAdmin):
    """The versions of a step as they were sent for sign-off (`step_send` writes each once): the text the
    representatives were shown, its SHA-256 and who signed that version. Search by project, case number, step
    or the start of a hash (a sign-off's or a protocol's)."""

    list_display = ("step", "project", "number", "sent_at", "sent_by", "short_hash", "signoff_count")
    list_filter = ("step__kind", "sent_at")
    search_fields = ("step__project__name", "step__project__case_number", "step__name_nb", "^content_hash")
    list_select_related = ("step__project", "sent_by")
    date_hierarchy = "sent_at"
    fields = ("step", "project", "number", "sent_at", "sent_by", "content_hash", "signoffs", "shown_content")
    readonly_fields = ("project", "signoffs", "shown_content")
    exclude = None

    def get_queryset(self, request):
        signed = (
            SignOff.objects.filter(step=OuterRef("step"), step_version=OuterRef("number"))
            .order_by()
            .values("step")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return super().get_queryset(request).annotate(n_signoffs=Subquery(signed, output_field=IntegerField()))

    @admin.display(description=_("project"), ordering="step__project__name")
    def project(self, obj):
        return obj.step.project

    @admin.display(description=_("SHA-256"), ordering="content_hash")
    def short_hash(self, obj):
        return obj.content_hash[:12]

    @admin.display(description=_("sign-offs"), ordering="n_signoffs")
    def signoff_count(self, obj):
        return obj.n_signoffs or 0

    @admin.display(description=_("sign-offs of this version"))
    def signoffs(self, obj):
        rows = SignOff.objects.filter(step=obj.step_id, step_version=obj.number).select_related("signer")
        if not rows:
            return "–"
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{} ({}): {}, {}</a>{}</li>',
                (
                    (
                        reverse("admin:participation_signoff_change", args=[s.pk]),
                        s.signer,
                        s.get_role_display(),
                        s.get_decision_display(),
                        date_format(localtime(s.signed_at), "SHORT_DATETIME_FORMAT"),
                        ""
                        if s.content_hash == obj.content_hash
                        else format_html(" – {}", _("signed a text with another SHA-256")),
                    )
                    for s in rows
                ),
            ),
        )


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ("title", "project", "type", "held_on")
    list_select_related = ("project",)
    search_fields = ("title", "project__name")


@admin.register(SignOff)
class SignOffAdmin(ShownContentMixin, ReadOnlyAdmin):
    """Sign-offs can be read here, never added, changed or deleted."""

    readonly_fields = ("shown_content",)

    list_display = ("step", "signer", "role", "decision", "step_version", "signed_at")
    list_select_related = ("step", "signer")
    list_filter = ("decision", "role")
