from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phases.models import Criterion
from projects.forms import DateField, DateInput, DecimalField
from projects.models import OrgUnit

from .models import ChangeRequest, Evaluation, EvaluationResult, Figure, Measure, PlanGoal, WindowState
from .services import FOLLOW_UP_FIELDS, PLAN_FIELDS


def _helper(form):
    form.helper = FormHelper()
    form.helper.form_tag = False


class _Form(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _helper(self)


def _text(label, rows=3, required=True, help_text=""):
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": rows}),
        required=required,
        max_length=5000,
        help_text=help_text,
    )


class MoveInForm(_Form):
    move_in = DateField(
        label=_("Actual move-in"),
        help_text=_(
            "The day the unit moved in. It starts the freeze period and sets the evaluation window 9 to 15 months "
            "later. Not before the project start and not in the future."
        ),
    )


class MoveInEarlyForm(MoveInForm):
    """The move-in while the project is in a phase before the move-in's: recorded only when confirmed."""

    early_confirmed = forms.BooleanField(
        label=_("Yes, the unit has moved in although the earlier phases are not completed"),
        required=False,
        help_text=_("Later phases can be worked on early; the earlier phases stay open until they are completed."),
    )


class MoveInCorrectForm(MoveInForm):
    reason = _text(_("Reason for the correction"), help_text=_("The reason is kept in the project's history."))


class FreezeForm(_Form):
    ends = DateField(
        label=_("Last day of the freeze period"),
        help_text=_("At least six months after move-in; nine months is the default."),
    )
    reason = _text(_("Why shorten it?"), required=False)


class ChangeRequestForm(_Form):
    what = _text(_("What should change"))
    why = _text(_("Why"))
    category = forms.ChoiceField(
        label=_("Category"),
        choices=ChangeRequest.Category.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "A fault fix and an adjustment within the concept go ahead. During the freeze period an adjustment "
            "that weakens the concept or the solution waits for the evaluation unless a coordinator approves it "
            "with a reason."
        ),
    )
    requested_by = forms.CharField(label=_("Requested by"), max_length=200)
    requested_on = DateField(label=_("Date"))


class ApproveForm(_Form):
    reason = _text(
        _("Reason for the approval"),
        help_text=_("Why the adjustment may go ahead before the evaluation. The reason is kept and shown."),
    )


class PlanForm(forms.ModelForm):
    class Meta:
        model = Evaluation
        fields = list(PLAN_FIELDS)  # what evaluation_plan_save accepts
        widgets = {
            "scope": forms.Textarea(attrs={"rows": 4}),
            "planned_start": DateInput(),
            "planned_end": DateInput(),
            "outside_window_reason": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "scope": _("What is evaluated and how broadly. Discuss it with the union and safety representatives."),
            "evaluator_name": _("The person, team or company that carries out the evaluation."),
            "outside_window_reason": _("Needed only when a date lies outside the evaluation window."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _helper(self)
        self.fields["evaluator"].required = False
        self.helper.layout = Layout(
            "scope",
            "method_survey",
            "method_interviews",
            "method_observation",
            "method_occupancy",
            Row(Column("evaluator", css_class="col-md-4"), Column("evaluator_name", css_class="col-md-8")),
            Row(Column("planned_start", css_class="col-md-6"), Column("planned_end", css_class="col-md-6")),
            "outside_window_reason",
        )


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = Evaluation
        fields = list(FOLLOW_UP_FIELDS)  # what evaluation_follow_up_save accepts
        widgets = {
            "presented_to_leaders": DateInput(),
            "presented_to_representatives": DateInput(),
            "presented_to_employees": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 4}),
            "follow_up_plan": forms.Textarea(attrs={"rows": 4}),
            "lessons_learned": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "presented_to_leaders": _("The results go to the leaders first, then the representatives, then everyone."),
            "summary": _("Aggregated findings only: no personal remarks, since HR's report prints this text."),
            "follow_up_plan": _("What will be followed up, by whom and when. Record the measures in the HMS plan."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _helper(self)
        self.helper.layout = Layout(
            Row(
                Column("presented_to_leaders", css_class="col-md-4"),
                Column("presented_to_representatives", css_class="col-md-4"),
                Column("presented_to_employees", css_class="col-md-4"),
            ),
            "summary",
            "follow_up_plan",
            "lessons_learned",
        )


class ResultForm(_Form):
    kind = forms.ChoiceField(
        label=_("What is assessed"), choices=EvaluationResult.Kind.choices, widget=forms.RadioSelect
    )
    criterion = forms.ChoiceField(
        label=_("Which success criterion"),
        choices=[("", _("The project's own criterion (name it below)")), *Criterion.choices],
        required=False,
    )
    subject = forms.CharField(
        label=_("Goal or own criterion"),
        max_length=300,
        required=False,
        help_text=_("The project goal, or the project's own success criterion, as worded in the mandate."),
    )
    score = forms.TypedChoiceField(
        label=_("Score"),
        coerce=int,
        choices=[(n, str(n)) for n in range(1, 6)],
        widget=forms.RadioSelect,
        help_text=_("1 = not reached at all, 5 = fully reached."),
    )
    text = _text(_("Assessment"), rows=4, required=False)


class FigureForm(forms.ModelForm):
    class Meta:
        model = Figure
        fields = ["kind", "label", "group", "period_before", "before", "period_after", "after", "unit"]
        field_classes = {"before": DecimalField, "after": DecimalField}  # 51,5 as typed in Norway

    def __init__(self, *args, sick_leave_only=False, hr=False, **kwargs):
        super().__init__(*args, **kwargs)
        _helper(self)
        if sick_leave_only:
            del self.fields["kind"]
        elif hr:  # HR supplies sick leave and HMS deviations
            self.fields["kind"].choices = [
                c for c in Figure.Kind.choices if c[0] in (Figure.Kind.SICK_LEAVE, Figure.Kind.DEVIATIONS)
            ]
        else:
            hr_kinds = (Figure.Kind.SICK_LEAVE, Figure.Kind.DEVIATIONS)
            self.fields["kind"].choices = [c for c in Figure.Kind.choices if c[0] not in hr_kinds]
            self.fields["kind"].help_text = _("Sick-leave and HMS deviation figures are entered by HR.")


class FigureImportForm(_Form):
    """A file of before/after figures; for survey results also which survey, the unit and the periods."""

    upload = forms.FileField(label=_("File (CSV or XLSX)"))

    def __init__(self, *args, survey=False, **kwargs):
        super().__init__(*args, **kwargs)
        if survey:
            self.fields["system"] = forms.ChoiceField(
                label=_("Survey"), choices=[("10-faktor", "10-faktor"), ("forbedring", "ForBedring")]
            )
            self.fields["group"] = forms.CharField(
                label=_("Unit"), max_length=200, required=False,
                help_text=_("The unit the results are for; empty for the whole project."),
            )  # fmt: skip
            self.fields["period_before"] = forms.CharField(
                label=_("Before: when"), max_length=100, required=False, help_text=_("For example “2026”.")
            )
            self.fields["period_after"] = forms.CharField(
                label=_("After: when"), max_length=100, required=False, help_text=_("For example “2028”.")
            )
            self.order_fields(["system", "group", "period_before", "period_after", "upload"])


class MeasureForm(forms.ModelForm):
    class Meta:
        model = Measure
        fields = [
            "focus_area",
            "goal",
            "activity",
            "due_date",
            "when_text",
            "responsible",
            "reporting",
            "status",
            "dropped_reason",
            "source",
            "source_ref",
            "sensitive",
        ]
        widgets = {
            "goal": forms.Textarea(attrs={"rows": 2}),
            "activity": forms.Textarea(attrs={"rows": 3}),
            "dropped_reason": forms.Textarea(attrs={"rows": 2}),
            "due_date": DateInput(),
        }
        help_texts = {"dropped_reason": _("Needed when the measure is dropped.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _helper(self)
        self.helper.layout = Layout(
            "focus_area",
            "goal",
            "activity",
            Row(Column("due_date", css_class="col-md-4"), Column("when_text", css_class="col-md-8")),
            "responsible",
            "reporting",
            Row(Column("status", css_class="col-md-6"), Column("source", css_class="col-md-6")),
            "dropped_reason",
            "source_ref",
            "sensitive",
        )


class PrioritiseForm(_Form):
    agreed_on = DateField(
        label=_("Agreed by the parties on"),
        help_text=_("The day the owner, the safety representative and the union representatives agreed the order."),
    )

    def __init__(self, *args, measures, **kwargs):
        super().__init__(*args, **kwargs)
        self.measures = list(measures)
        for m in self.measures:
            self.fields[f"m{m.pk}"] = forms.TypedChoiceField(
                label=f"{m.number}. {m.focus_area}",
                choices=[("", _("No priority")), *Measure.Priority.choices],
                coerce=int,
                required=False,
                empty_value=None,
                initial=m.priority,
            )

    def priorities(self):
        return {m.pk: self.cleaned_data[f"m{m.pk}"] for m in self.measures if self.cleaned_data[f"m{m.pk}"]}


class HRFilterForm(forms.Form):
    """The filters of HR's page; every field is optional and nothing is required to show the lists."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    unit = forms.ModelChoiceField(
        label=_("Organisation"), queryset=OrgUnit.objects.none(), required=False, empty_label=_("All")
    )
    state = forms.ChoiceField(label=_("Evaluation"), required=False)
    measure_status = forms.ChoiceField(label=_("Measure status"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"].choices = [("", _("All")), *[(y, str(y)) for y in range(this_year + 2, this_year - 6, -1)]]
        self.fields["unit"].queryset = OrgUnit.objects.exclude(kind=OrgUnit.Kind.MUNICIPALITY).order_by("name")
        self.fields["state"].choices = [("", _("All")), *WindowState.choices]
        self.fields["measure_status"].choices = [("", _("All")), *Measure.Status.choices]


class PlanGoalForm(forms.ModelForm):
    class Meta:
        model = PlanGoal
        fields = ["description", "direction", "target", "unit", "measured", "measured_when"]
        field_classes = {"target": DecimalField, "measured": DecimalField}  # 5,4 as typed in Norway
        help_texts = {
            "description": _("For example “Sick leave”."),
            "measured": _("Leave empty until the value is measured."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _helper(self)
