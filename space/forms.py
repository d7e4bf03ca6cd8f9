"""Forms of the mapping and the area programme (the units and the rooms use the generic document forms)."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from projects.forms import DateField, DateInput, DecimalField
from projects.uploads import AttachmentField

from .models import AreaNorm, MappingUnit, OccupancyStudy, PlanFile, RoomType, StudyZone


class _Form:
    def _helper(self):
        self.helper = FormHelper()
        self.helper.form_tag = False


class StudyForm(_Form, forms.ModelForm):
    class Meta:
        model = OccupancyStudy
        fields = [
            "name", "timing", "starts_on", "ends_on", "first_hour", "last_hour", "buffer_percent", "sharing_ratio"
        ]  # fmt: skip
        widgets = {
            "starts_on": DateInput(), "ends_on": DateInput(),
            "first_hour": forms.NumberInput(attrs={"min": 0, "max": 23}),
            "last_hour": forms.NumberInput(attrs={"min": 0, "max": 23}),
            "buffer_percent": forms.NumberInput(attrs={"min": 0, "max": 100}),
        }  # fmt: skip
        field_classes = {"sharing_ratio": DecimalField}  # 0,7 and 0.7 alike, a text input with inputmode=decimal

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()


class ZoneForm(_Form, forms.ModelForm):
    class Meta:
        model = StudyZone
        fields = ["name", "kind", "unit", "places"]

    def __init__(self, *args, work_product, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = MappingUnit.objects.filter(work_product=work_product)
        self.fields["unit"].empty_label = _("No unit")
        self.fields["places"].widget.attrs.update(min=1)
        self._helper()


class RoundForm(forms.Form):
    """Which round the grid shows: a date of the study and an hour."""

    date = DateField(label=_("Date"))
    hour = forms.IntegerField(label=_("Hour"), min_value=0, max_value=23)


COUNTS = ("occupied", "away", "free", "persons")


class RoundCountsForm(forms.Form):
    """One zone's counts in a round (a row of the grid). An empty field records nothing; text that is not a whole
    number is passed on as it is, for the service to name it in its list of what to correct."""

    zone = forms.IntegerField(widget=forms.HiddenInput)
    occupied = forms.CharField(required=False)
    away = forms.CharField(required=False)
    free = forms.CharField(required=False)
    persons = forms.CharField(required=False)

    def clean(self):
        data = super().clean()
        for name in COUNTS:
            data[name] = _count(data.get(name))
        return data


def _count(raw):
    raw = (raw or "").strip()
    if raw == "":
        return None
    try:
        return int(raw)
    except ValueError:
        return raw


RoundFormSet = forms.formset_factory(RoundCountsForm, extra=0)


class PlanForm(_Form, forms.ModelForm):
    upload = AttachmentField()

    class Meta:
        model = PlanFile
        fields = ["kind", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3, "maxlength": 2000})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()


class ImportForm(_Form, forms.Form):
    upload = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_("Use the template. Semicolons or commas, UTF-8 or Windows-1252, as Excel saves it."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()


class RoomTypeForm(_Form, forms.ModelForm):
    class Meta:
        model = RoomType
        fields = ["name", "zone", "m2", "sizing", "is_workstation", "active", "order"]
        field_classes = {"m2": DecimalField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()


class AreaNormForm(_Form, forms.ModelForm):
    class Meta:
        model = AreaNorm
        fields = ["max_m2_per_employee", "min_m2_per_workstation", "source"]
        field_classes = {"max_m2_per_employee": DecimalField, "min_m2_per_workstation": DecimalField}  # 22,5 or 22.5

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()
