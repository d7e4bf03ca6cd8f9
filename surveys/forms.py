from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from projects.forms import DateField

from .addresses import parse_addresses
from .models import Questionnaire, in_language
from .services import MAX_FREE_TEXT

MAX_LIST_BYTES = 1024 * 1024


class _AddressesMixin:
    """The address list, pasted or uploaded as a text or CSV file (one person a line: address, unit)."""

    def clean_addresses_file(self):
        upload = self.cleaned_data.get("addresses_file")
        if not upload:
            return ""
        if upload.size > MAX_LIST_BYTES:
            raise ValidationError(_("The file is larger than 1 MB."))
        raw = upload.read()
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                continue
        raise ValidationError(_("The file is not text."))

    def parsed_addresses(self):
        text = "\n".join(
            t for t in (self.cleaned_data.get("addresses", ""), self.cleaned_data.get("addresses_file", "")) if t
        )
        try:
            return parse_addresses(text)
        except ValidationError as exc:
            self.add_error("addresses", exc)
            return None


def _address_fields():
    return (
        forms.CharField(
            label=_("E-mail addresses"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false", "autocomplete": "off"}),
            help_text=_(
                "One person a line. After a comma or semicolon you may give the person's unit, for figures per unit."
            ),
        ),
        forms.FileField(
            label=_("Or upload the list"),
            required=False,
            help_text=_("A text or CSV file with the same lines (address, unit)."),
        ),
    )


class SurveyStartForm(_AddressesMixin, forms.Form):
    questionnaire = forms.ModelChoiceField(
        label=_("Questionnaire"), queryset=Questionnaire.objects.none(), required=False
    )
    opens_on = DateField(label=_("Opens"))
    closes_on = DateField(label=_("Closes"))
    open_link = forms.BooleanField(
        label=_("Publish one open link instead of personal links"),
        required=False,
        help_text=_(
            "Risk: anybody who gets the open link can answer, and answer more than once, so the figures can be "
            "skewed. Personal links answer once each."
        ),
    )
    addresses, addresses_file = _address_fields()

    def __init__(self, *args, with_questionnaire=True, **kwargs):
        super().__init__(*args, **kwargs)
        if with_questionnaire:
            self.fields["questionnaire"].queryset = Questionnaire.objects.order_by("key", "-version")
            self.fields["questionnaire"].required = True
            self.fields["questionnaire"].label_from_instance = lambda q: f"{q.display_name} (v{q.version})"
        else:
            del self.fields["questionnaire"]


class RoundForm(_AddressesMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    draft = forms.CharField(
        label=_("The draft"),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=20000,
        help_text=_("The solution, the floor plan and the rules of use, as the employees should read them."),
    )
    closes_on = DateField(label=_("Closing date"))
    named = forms.BooleanField(
        label=_("Comments carry the sender's e-mail address"),
        required=False,
        help_text=_("Leave unticked for anonymous comments."),
    )
    step = forms.ModelChoiceField(
        label=_("Participation step"),
        queryset=None,
        help_text=_(
            "The consultation step the representatives sign: your summary and your answers become part of its content, "
            "and of no other step. Only steps not yet signed by every representative, in a phase not completed, "
            "can be chosen."
        ),
    )
    addresses, addresses_file = _address_fields()

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        from participation.models import Step

        from .step_content import round_steps

        offered, self.refused_steps = round_steps(project)
        self.fields["step"].queryset = Step.objects.filter(pk__in=[s.pk for s in offered]).order_by(
            "activity__phase__order", "activity__order", "id"
        )
        self.fields["step"].label_from_instance = lambda s: s.name_nb
        if not offered:
            self.fields["step"].empty_label = _("No consultation step can be chosen")
        if self.refused_steps:
            refused = "; ".join(f"«{step.name_nb}» ({reason})" for step, reason in self.refused_steps)
            self.fields["step"].help_text = format_lazy(
                "{} {}", self.fields["step"].help_text, _("Not offered: %(steps)s.") % {"steps": refused}
            )


class AnswerForm(forms.Form):
    """One radio group a question (1–5 and "not relevant"), none of them required, and the free text."""

    def __init__(self, *args, survey, lang, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [
            ("1", _("1 – to a very small extent")),
            ("2", "2"),
            ("3", "3"),
            ("4", "4"),
            ("5", _("5 – to a very great extent")),
            ("0", _("Not relevant")),
        ]
        for q in survey.questions["questions"]:
            self.fields[q["key"]] = forms.ChoiceField(
                label=in_language(q["text"], lang), choices=choices, required=False, widget=forms.RadioSelect
            )
        free = survey.questions.get("free_text")
        if free:
            self.fields["free_text"] = forms.CharField(
                label=in_language(free["text"], lang),
                required=False,
                max_length=MAX_FREE_TEXT,
                widget=forms.Textarea(attrs={"rows": 5}),
            )

    def question_fields(self):
        return [self[name] for name in self.fields if name != "free_text"]


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 6}), max_length=MAX_FREE_TEXT)


class SummaryForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary of what was said"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=20000,
        required=False,
        help_text=_("Sum up without names. With your answers it becomes part of the step the representatives sign."),
    )


class CommentAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 3}), max_length=MAX_FREE_TEXT, required=False
    )


class QuestionnaireUploadForm(forms.Form):
    file = forms.FileField(label=_("Questionnaire file (TOML)"))
