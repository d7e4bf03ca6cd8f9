from contextlib import contextmanager

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Layout, Row
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import extensions, selectors
from .models import Project, Role, User
from .validators import sensible_date


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateField(forms.DateField):
    """A date field of a plain form: the date picker (or 03.03.2027 typed where there is none), inside the date
    rule (2000–2100) that every model's date field has too."""

    widget = DateInput
    default_validators = [sensible_date]


class DecimalInput(forms.TextInput):
    """A decimal as text with the phone's decimal keyboard: `type=number` is never used for decimals (it refuses
    or silently reinterprets "51,5" depending on the browser's language; GOV.UK, Aksel and Designsystemet)."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})


class DecimalField(forms.DecimalField):
    """A decimal as Norwegians write it: "51,5" and "51.5" are both 51.5 in every language of the interface,
    spaces may group thousands, and U+2212 is a minus. Shown with the language's separator and without trailing
    zeros (51,5, not 51,50)."""

    widget = DecimalInput

    def to_python(self, value):
        from .imports import parse_decimal

        if isinstance(value, str) and value.strip():
            try:
                value = parse_decimal(value)
            except ValueError:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        return super().to_python(value)

    def prepare_value(self, value):
        from decimal import Decimal

        from django.utils.formats import get_format

        if isinstance(value, Decimal | float | int) and not isinstance(value, bool):
            text = format(Decimal(str(value)).normalize(), "f")
            return text.replace(".", get_format("DECIMAL_SEPARATOR")).replace("-", "\u2212")
        return value

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("step", None)  # a number input's attribute
        return attrs


class UnitChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.parent.name})" if obj.parent_id else obj.name


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name} <{obj.email}>"


class ProjectForm(forms.ModelForm):
    units = UnitChoiceField(
        label=_("Units"),
        queryset=selectors.unit_choices(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The units that move or rebuild."),
        error_messages={"required": _("Choose at least one unit.")},
    )

    class Meta:
        model = Project
        fields = [
            "name",
            "case_number",
            "kind",
            "units",
            "address",
            "building",
            "headcount",
            "start_date",
            "planned_move_in",
            "description",
        ]
        widgets = {
            "start_date": DateInput(),
            "planned_move_in": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "start_date": _("Deadlines in the process are counted from this date."),
            "headcount": _("How many employees the project covers."),
        }

    submit_label = _("Create project")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "name",
            Row(Column("case_number", css_class="col-md-6"), Column("kind", css_class="col-md-6")),
            "units",
            Row(Column("address", css_class="col-md-6"), Column("building", css_class="col-md-6")),
            Row(
                Column("headcount", css_class="col-md-4"),
                Column("start_date", css_class="col-md-4"),
                Column("planned_move_in", css_class="col-md-4"),
            ),
            "description",
        )
        # A callable default (today) makes Django add a hidden "initial-" input that copies the field's
        # aria-describedby, which HTML forbids on hidden inputs; nothing here needs has_changed() for it.
        self.fields["start_date"].show_hidden_initial = False
        if self.instance.pk:
            self.initial.setdefault("units", [link.unit_id for link in self.instance.project_units.all()])

    def clean(self):
        data = super().clean()
        start, move_in = data.get("start_date"), data.get("planned_move_in")
        if start and move_in and move_in < start:
            self.add_error("planned_move_in", _("The planned move-in cannot be before the project starts."))
        return data

    def clean_case_number(self):
        number = self.cleaned_data["case_number"].strip()
        if number and Project.objects.filter(case_number=number).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Another project already has this case number."))
        return number


class PersonSearch:
    """The member picker's search, for any form that chooses one person among every active user: the choices
    offered are the matches of the typed words (accent-insensitive, `selectors.users_matching`), at most
    `MAX_MATCHES`, never every user; the person already chosen stays offered; a posted choice is checked against
    every active user by the field's queryset."""

    MAX_MATCHES = 20

    def __init__(self, form, *, field, query_field, query=""):
        if form.is_bound:
            query = form.data.get(form.add_prefix(query_field), "")
        elif not query:
            query = form.initial.get(query_field, "")
        self.query = (query or "").strip()[:100]
        form.fields[query_field].initial = self.query
        matches = selectors.users_matching(self.query, limit=self.MAX_MATCHES + 1) if self.query else []
        self.more = len(matches) > self.MAX_MATCHES
        self.matches = matches[: self.MAX_MATCHES]
        shown = {u.pk for u in self.matches}
        chosen = form.data.get(form.add_prefix(field)) if form.is_bound else form.initial.get(field)
        if chosen and str(chosen).isdigit() and int(chosen) not in shown:
            self.matches += list(selectors.users_for_choice().filter(pk=chosen))
        form.fields[field].widget.choices = [(u.pk, form.fields[field].label_from_instance(u)) for u in self.matches]


class ProjectCreateForm(ProjectForm):
    owner_q = forms.CharField(label=_("Search by name or e-mail"), required=False, max_length=100)
    owner = PersonChoiceField(
        label=_("Project owner"),
        queryset=selectors.users_for_choice(),
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        empty_label=None,
        required=False,
    )

    def __init__(self, *args, can_name_owner=False, **kwargs):
        super().__init__(*args, **kwargs)
        if can_name_owner:
            self.owner_search = PersonSearch(self, field="owner", query_field="owner_q")
            self.helper.layout.fields.insert(1, HTML('{% include "projects/_owner_picker.html" %}'))
        else:
            del self.fields["owner"], self.fields["owner_q"]

    def clean(self):
        data = super().clean()
        if data.get("owner_q") and not data.get("owner") and "owner" not in self.errors:
            self.add_error(
                "owner", _("Choose the owner in the list, or empty the search to become the owner yourself.")
            )
        return data
        for field in extensions.get("project_create_field"):
            self.fields[field.name] = field.factory()
            self.helper.layout.fields.insert(2, field.name)


class ProjectEditForm(ProjectForm):
    class Meta(ProjectForm.Meta):
        # The actual move-in is recorded through its own page (evaluation), which enforces its rules.
        fields = [*ProjectForm.Meta.fields, "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout.append(Row(Column("status", css_class="col-md-6")))


class RoleField(forms.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(label=_("Role"), choices=[("", _("Choose a role…")), *Role.choices], **kwargs)


def person_field(label):
    """The choice of a person found by searching (`PersonSearch` narrows the choices shown to the matches)."""
    return PersonChoiceField(
        label=label,
        queryset=selectors.users_for_choice(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _("Search for the person and choose them in the list.")},
    )


class MemberAddForm(forms.Form):
    """Add a person found by searching: the choices shown are the matches of the search (never every user),
    while a posted choice is checked against every active user."""

    prefix = "add"
    MAX_MATCHES = PersonSearch.MAX_MATCHES
    q = forms.CharField(widget=forms.HiddenInput, required=False)
    user = person_field(_("Person"))
    role = RoleField()

    def __init__(self, *args, query="", **kwargs):
        super().__init__(*args, **kwargs)
        search = PersonSearch(self, field="user", query_field="q", query=query)
        self.query, self.matches, self.more = search.query, search.matches, search.more
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout("q", "user", "role")


class MemberInviteForm(forms.Form):
    prefix = "invite"
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("E-mail address"))
    role = RoleField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout("full_name", "email", "role")

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"]).lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("A person with this e-mail address already exists. Add them from the list instead.")
            )
        return email


class MemberRoleForm(forms.Form):
    role = RoleField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class UserSettingsForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "phone", "preferred_language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class EmailPreferencesForm(forms.Form):
    """Which kinds of reminder come by e-mail; every kind registered by an app is a checkbox."""

    kinds = forms.MultipleChoiceField(
        label=_("Reminders by e-mail"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Ticked kinds come in one e-mail a day (urgent ones at once). "
            "You always see every reminder under Notifications."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        from . import reminders
        from .models import EmailOptOut

        off = set(EmailOptOut.objects.filter(user=user).values_list("kind", flat=True))
        choices = [(k.code, k.label) for k in reminders.kinds()]
        kwargs.setdefault("initial", {"kinds": [code for code, _label in choices if code not in off]})
        super().__init__(*args, **kwargs)
        self.fields["kinds"].choices = choices
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


def form_errors_from(exc: ValidationError, form):
    """Put a service's ValidationError on the form, by field where it names one."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@contextmanager
def service_errors(form):
    """`with service_errors(form):` around a service call and what follows its success (the message, the
    redirect): a ValidationError the service raises lands on the form, by field where it names one, and the
    block ends there, so the view goes on to show the form again with the error."""
    try:
        yield
    except ValidationError as exc:
        form_errors_from(exc, form)


def service_confirmed(request, act, *, done, to):
    """The POST of a confirmation page (a button, no form): `act()` calls the service. On success the message
    `done` (or what `done()` gives) and a redirect to the URL `to`; a ValidationError comes back as the page's
    error instead. Returns (the redirect or None, the error or "")."""
    from django.contrib import messages
    from django.http import HttpResponseRedirect

    try:
        act()
    except ValidationError as exc:
        return None, " ".join(exc.messages)
    messages.success(request, done() if callable(done) else done)
    return HttpResponseRedirect(to), ""


class DeputyForm(forms.Form):
    """A representative's deputy for a period: the person found by searching, the first and last day."""

    q = forms.CharField(widget=forms.HiddenInput, required=False)
    deputy = person_field(_("Deputy"))
    starts = DateField(label=_("From"), help_text=_("The first day the deputy acts, e.g. 01.07.2027."))
    ends = DateField(label=_("To"), help_text=_("The last day, included."))

    def __init__(self, *args, query="", **kwargs):
        super().__init__(*args, **kwargs)
        search = PersonSearch(self, field="deputy", query_field="q", query=query)
        self.query, self.matches, self.more = search.query, search.matches, search.more
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout("q", "deputy", "starts", "ends")
