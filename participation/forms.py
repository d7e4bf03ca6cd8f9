from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from projects.forms import DateInput
from projects.models import User
from projects.uploads import AttachmentField

from .models import Meeting, SignOff, Step


class _Helper:
    def _helper(self):
        self.helper = FormHelper()
        self.helper.form_tag = False


class PeopleField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name


class StepChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class MeetingForm(_Helper, forms.ModelForm):
    participants = PeopleField(
        label=_("Participants"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    steps = StepChoiceField(
        label=_("Participation steps"),
        queryset=Step.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The minutes become part of what is signed for these steps."),
    )

    class Meta:
        model = Meeting
        fields = ["type", "title", "held_on", "participants", "other_participants", "agenda", "minutes", "decisions",
                  "steps"]  # fmt: skip
        widgets = {
            "held_on": DateInput(),
            "other_participants": forms.Textarea(attrs={"rows": 2}),
            "agenda": forms.Textarea(attrs={"rows": 3}),
            "minutes": forms.Textarea(attrs={"rows": 6}),
            "decisions": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = (
            User.objects.filter(memberships__project=project).distinct().order_by("full_name")
        )
        self.fields["type"].choices = [("", _("Choose a type of meeting…")), *Meeting.Type.choices]
        self.fields["steps"].queryset = Step.objects.filter(project=project).order_by(
            "activity__phase__order", "activity__order", "id"
        )
        self._helper()


class StepForm(_Helper, forms.Form):
    summary = forms.CharField(
        label=_("Summary"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=_("What is presented to the representatives and what they confirm by signing."),
    )
    meetings = forms.ModelMultipleChoiceField(
        label=_("Meetings"),
        queryset=Meeting.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meetings"].queryset = Meeting.objects.filter(project=project).order_by("-held_on")
        self._helper()


class SignOffForm(_Helper, forms.Form):
    decision = forms.ChoiceField(
        label=_("Your decision"),
        choices=SignOff.Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a decision.")},
    )
    text = forms.CharField(
        label=_("Remarks or objection"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required with remarks or an objection. An objection is printed in every protocol."),
    )
    confirm = forms.BooleanField(
        label=_("I have read the content above and understand that my sign-off cannot be changed afterwards."),
        error_messages={"required": _("Confirm that you have read the content.")},
    )
    # What the page showed: the service refuses the sign-off if another version has been sent since.
    content_hash = forms.CharField(
        widget=forms.HiddenInput,
        max_length=64,
        error_messages={"required": _("The form did not say which version you read. Open the step again.")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, roles=(), **kwargs):
        super().__init__(*args, **kwargs)
        if len(roles) > 1:
            self.fields["role"] = forms.ChoiceField(label=_("Sign as"), choices=roles)
        self._helper()

    def clean(self):
        data = super().clean()
        for name in ("content_hash", "version"):  # hidden: say it above the form, not at an invisible field
            if name in self._errors:
                self.add_error(None, self._errors.pop(name))
        if data.get("decision") and data["decision"] != SignOff.Decision.APPROVED and not data.get("text", "").strip():
            self.add_error("text", _("Write your remarks or the objection that goes into the protocol."))
        return data


class MeetingFileForm(_Helper, forms.Form):
    prefix = "file"
    file = AttachmentField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()


class SignedFilterForm(forms.Form):
    """The filters over *Signed by you* in the inbox (GET, kept in the URL)."""

    project = forms.CharField(label=_("Project"), required=False, max_length=200)
    decision = forms.ChoiceField(
        label=_("Decision"), required=False, choices=[("", _("All")), *SignOff.Decision.choices]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].widget.attrs.update({"class": "form-control", "placeholder": _("Name or case number")})
        self.fields["decision"].widget.attrs["class"] = "form-select"
        if self.is_bound:
            for name in self.errors:  # a filter typed or edited into the URL that cannot be applied says so
                widget = self.fields[name].widget
                widget.attrs["class"] += " is-invalid"
                widget.attrs["aria-describedby"] = f"{self.prefix or ''}{name}-error"

    def filters(self) -> dict:
        """The filters that can be applied: those whose value is valid (an invalid one is named in the form)."""
        self.is_valid()
        return self.cleaned_data


class StepSendForm(forms.Form):
    """Sending a draft for sign-off: carries the draft the owner confirmed, so a later change is not sent."""

    draft_hash = forms.CharField(widget=forms.HiddenInput, max_length=64)
