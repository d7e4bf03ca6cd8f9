"""Forms built from a kind's description: its main fields, and one form per table."""

from crispy_forms.helper import FormHelper
from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from projects.forms import DateField, DateInput, DecimalField, PersonChoiceField
from projects.models import User
from projects.uploads import AttachmentField

from .models import TEXT_MAX, OrderService


def _widget(f):
    if isinstance(f, models.DateField):
        return DateInput()
    if isinstance(f, models.TextField):
        return forms.Textarea(attrs={"rows": 3})
    if f.name in ("likelihood", "consequence", "residual_likelihood", "residual_consequence"):
        return forms.NumberInput(attrs={"min": 1, "max": 5})
    if f.name == "frame_amount":
        return forms.NumberInput(attrs={"min": 0, "step": 1, "inputmode": "numeric"})
    return None


class _DocumentForm(forms.ModelForm):
    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        members = User.objects.filter(memberships__project=project).distinct().order_by("full_name")
        for name, field in self.fields.items():
            model_field = self._meta.model._meta.get_field(name)
            if model_field.is_relation and model_field.related_model is User:
                self.fields[name] = PersonChoiceField(
                    label=field.label, queryset=members, required=False, empty_label=_("Nobody yet"),
                    help_text=_("A member of the project."),
                )  # fmt: skip
            elif isinstance(model_field, models.TextField):
                limit = next((v.limit_value for v in model_field.validators if hasattr(v, "limit_value")), TEXT_MAX)
                field.widget.attrs["maxlength"] = limit  # the model's validator gives the error at the field
            elif model_field.many_to_many and model_field.related_model is OrderService:
                field.queryset = OrderService.objects.filter(active=True)
                field.widget = forms.CheckboxSelectMultiple(choices=field.choices)
                field.help_text = _("The services EBE offers; coordinators keep the list.")


def document_form(model, fields):
    return forms.modelform_factory(model, form=_DocumentForm, fields=list(fields), formfield_callback=_formfield)


def _formfield(f, **kwargs):
    if isinstance(f, models.DecimalField):
        kwargs["form_class"] = DecimalField  # 6,5 m² as Norwegians write it (6.5 too), inputmode=decimal
    widget = _widget(f)
    if widget is not None:
        kwargs["widget"] = widget
    return f.formfield(**kwargs)


class OrderAcceptForm(forms.Form):
    accepted_on = DateField(label=_("Accepted on"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class OrderServiceForm(forms.ModelForm):
    class Meta:
        model = OrderService
        fields = ["name", "description", "active", "order"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class FileForm(forms.Form):
    """A file for a document (a drawing, the full text of a report), under the one upload policy."""

    file = AttachmentField(label=_("File"))
