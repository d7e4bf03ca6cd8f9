from crispy_forms.helper import FormHelper
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from projects.forms import DateField, PersonChoiceField
from projects.models import COORDINATOR_GROUP, User
from projects.permissions import WORKING_ROLES
from projects.uploads import AttachmentField

from .definition import MAX_SOURCE_BYTES
from .models import Criterion, CriterionStatus


class _Form(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class ItemPlanForm(_Form):
    prefix = "plan"
    assignee = PersonChoiceField(
        label=_("Responsible"), queryset=User.objects.none(), required=False, empty_label=_("Nobody yet")
    )
    due_date = DateField(label=_("Deadline"), required=False)

    def __init__(self, *args, project, building_track=False, **kwargs):
        super().__init__(*args, **kwargs)
        people = Q(memberships__project=project, memberships__role__in=WORKING_ROLES)
        if building_track:
            people |= Q(groups__name=COORDINATOR_GROUP, is_active=True)
            self.fields["assignee"].help_text = _("On the building track an EBE coordinator can be responsible too.")
        self.fields["assignee"].queryset = User.objects.filter(people).distinct().order_by("full_name")


class NotApplicableForm(_Form):
    prefix = "na"
    reason = forms.CharField(
        label=_("Why does this item not apply?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("The reason is kept and shown on the project."),
    )


class CommentForm(_Form):
    prefix = "comment"
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class AttachmentForm(_Form):
    prefix = "file"
    file = AttachmentField()


class PhaseCompleteForm(_Form):
    """The owner's assessment of the five success criteria, asked for at every gate. Its rules (every criterion
    assessed when completing by the gate, a comment for "at risk") are the service's; errors come back by field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for c in Criterion:
            self.fields[f"{c.value}_status"] = forms.ChoiceField(
                label=c.label,
                choices=[("", _("Choose a status…")), *CriterionStatus.choices],
                required=False,
                help_text=_("“At risk” needs a comment."),
            )
            self.fields[f"{c.value}_comment"] = forms.CharField(
                label=_("Comment on “%(criterion)s”") % {"criterion": c.label},
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def assessments(self):
        return {
            c.value: (self.cleaned_data[f"{c.value}_status"], self.cleaned_data[f"{c.value}_comment"])
            for c in Criterion
            if self.cleaned_data.get(f"{c.value}_status")
        }

    def criterion_fields(self):
        return [(self[f"{c.value}_status"], self[f"{c.value}_comment"]) for c in Criterion]


class OverrideForm(_Form):
    prefix = "override"
    reason = forms.CharField(
        label=_("Reason for overriding the gate"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text=_("Stays visible on the project for everybody who sees it."),
    )


class ReopenForm(_Form):
    prefix = "reopen"
    reason = forms.CharField(
        label=_("Why is the phase reopened?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text=_("Kept on the phase and in the project's history."),
    )


class TemplateUploadForm(_Form):
    file = forms.FileField(label=_("Template file (TOML)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("A process template in TOML, at most %(n)s kB.") % {
            "n": MAX_SOURCE_BYTES // 1024
        }
        self.fields["file"].widget.attrs["accept"] = ".toml"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_SOURCE_BYTES:
            raise forms.ValidationError(_("The file is larger than %(n)s kB.") % {"n": MAX_SOURCE_BYTES // 1024})
        return upload
