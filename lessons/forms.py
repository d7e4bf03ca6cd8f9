from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from phases.models import Phase

from .models import Lesson


class PhaseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class LessonForm(forms.ModelForm):
    phase = PhaseChoiceField(
        label=_("Phase"), queryset=Phase.objects.none(), help_text=_("The phase the lesson comes from.")
    )

    class Meta:
        model = Lesson
        fields = ["what_happened", "next_time", "tags"]
        widgets = {"what_happened": forms.Textarea(attrs={"rows": 3}), "next_time": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phase"].queryset = Phase.objects.filter(project=project).order_by("order")
        self.order_fields(["phase", "what_happened", "next_time", "tags"])
        self.helper = FormHelper()
        self.helper.form_tag = False


class RegisterSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    state = forms.ChoiceField(
        label=_("Shared"),
        required=False,
        choices=[("", _("All")), ("shared", _("Shared")), ("unshared", _("Not shared yet"))],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
