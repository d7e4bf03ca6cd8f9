from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from projects.uploads import AttachmentField

from . import selectors
from .models import Entry


class EntryForm(forms.ModelForm):
    activities = forms.MultipleChoiceField(
        label=_("Activities"),
        help_text=_("The activity pages that show the entry, in every version of the template."),
        widget=forms.CheckboxSelectMultiple,
    )
    file = AttachmentField(required=False)
    remove_file = forms.BooleanField(label=_("Remove the file"), required=False)

    class Meta:
        model = Entry
        fields = ["title", "kind", "language", "description", "url"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"url": _("A link to a page or course, or leave empty and upload a file below.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activities"].choices = selectors.activity_choices()
        if self.instance.pk:
            self.initial["activities"] = [f"{p.template_key}:{p.activity_key}" for p in self.instance.placements.all()]
        has_file = self.instance.pk and hasattr(self.instance, "file_attachment")
        if not has_file:
            del self.fields["remove_file"]
        self.helper = FormHelper()
        self.helper.form_tag = False


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All kinds")), *Entry.Kind.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("All languages")), *Entry.Language.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
