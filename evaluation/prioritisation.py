"""The parties' prioritisation of the HMS measures as signed content of the "prioritisation" participation steps.

The step's content is the action plan the parties agreed: every measure that is not dropped, with its priority,
focus area, goal, activity, deadline, responsible and reporting, sensitive measures too. Whether a measure is
sensitive is not part of what is signed: it decides who may read the measure's words, and that is decided when
the content is shown (`prioritisation_hidden`, asked by participation/snapshot.py), so marking a measure
sensitive after the step was sent hides its words at once and outdates nothing. Status changes (in progress,
done) are follow-up, not prioritisation, and are not part of what is signed either.
"""

from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from phases.signals import step_content_changed
from projects import extensions
from workproducts.registry import StepContent, relabel

from .models import Measure

STEP_KIND = "prioritisation"
CONTENT_KEY = "hms_measures"
SIGNED_FIELDS = ("focus_area", "goal", "activity", "due_date", "responsible", "reporting")
# Stored in bokmål with the content; `prioritisation_label` names them again in the reader's language.
MEASURE_HEAD = gettext_noop("Measure %(number)s «%(area)s»")
TITLE = gettext_lazy("HMS action plan: the parties' priorities")
LABELS = {
    "prioritised_on": gettext_lazy("Prioritised by the parties on"),
    "sensitive": gettext_lazy("Sensitive measures"),
}


def _value(measure, name):
    value = getattr(measure, name)
    if value is None or value == "":
        return ""
    if name == "due_date":
        return date_format(value, "DATE_FORMAT")
    return str(value)


def _field_label(name):
    label = str(Measure._meta.get_field(name).verbose_name)
    return label[:1].upper() + label[1:]


def prioritisation_label(key, stored) -> str | None:
    """A stored (bokmål) label of the content in the reader's language, for the step page and the differences;
    None: show the stored one."""
    if key in LABELS:
        return str(LABELS[key])
    parts = key.split(".")
    if len(parts) != 3 or parts[0] != "measures":
        return None
    try:
        field = _field_label(parts[2])
    except LookupError:
        return None
    head = relabel(stored.rpartition(" · ")[0], MEASURE_HEAD)
    return f"{head} · {field}" if head is not None else None


def prioritisation_content(project_id) -> dict | None:
    """The measures as the parties sign them, in bokmål (the SHA-256 must not depend on who looks); None while
    the project has no measures (the step then signs its summary and meetings only)."""
    measures = list(Measure.objects.filter(project_id=project_id).exclude(status=Measure.Status.DROPPED))
    if not measures:
        return None
    with translation.override("nb"):
        fields = []
        agreed = max((m.prioritised_on for m in measures if m.prioritised_on), default=None)
        fields.append(["prioritised_on", str(LABELS["prioritised_on"]), date_format(agreed) if agreed else ""])
        for m in measures:
            head = _(MEASURE_HEAD) % {"number": m.number, "area": m.focus_area}
            priority = m.get_priority_display() if m.priority else _("Not prioritised")
            fields.append([f"measures.{m.pk}.priority", f"{head} · {_field_label('priority')}", str(priority)])
            for name in SIGNED_FIELDS:
                fields.append([f"measures.{m.pk}.{name}", f"{head} · {_field_label(name)}", _value(m, name)])
        return {
            "kind": CONTENT_KEY,
            "title": str(TITLE),
            "fields": fields,
        }


def prioritisation_hidden(project, reader, rows) -> dict[str, str]:
    """The measures of signed content whose words `reader` may not read, as they stand now: every sensitive one
    for a reader who may not see sensitive measures (None: a reader without any such right), and one that no
    longer exists, since nothing then says it may be shown. {row: the neutral text shown in its place}."""
    if reader is not None and reader.has_perm("evaluation.view_sensitive_measures", project):
        return {}
    ids = {int(row.split(".")[1]): row for row in rows if row.startswith("measures.") and row[9:].isdigit()}
    if not ids:
        return {}
    found = Measure.objects.filter(project=project, pk__in=ids).values_list("pk", "number", "sensitive")
    numbers = {pk: number for pk, number, sensitive in found if sensitive}
    missing = set(ids) - {pk for pk, _number, _sensitive in found}
    hidden = {ids[pk]: _("Sensitive HMS measure no. %(number)s") % {"number": n} for pk, n in numbers.items()}
    hidden.update({ids[pk]: _("Sensitive HMS measure") for pk in missing})
    return hidden


def prioritisation_url(project, user):
    """Where "Open the document" leads: the HMS action plan on the Evaluation tab from move-in on, before that
    (and in processes that never record a move-in) its own page; both show what the reader may see."""
    if user.has_perm("evaluation.view_evaluation", project):
        return reverse("evaluation:overview", args=[project.pk]) + "#measures-heading"
    if user.has_perm("projects.view_project", project):
        return reverse("evaluation:measures", args=[project.pk])
    return None


def measures_changed(*, project, by) -> None:
    """Tell participation (inside the caller's transaction) that the prioritisation steps' content changed."""
    step_content_changed.send(sender=Measure, project=project, step_kind=STEP_KIND, by=by)


extensions.register(
    "step_content",
    StepContent(
        STEP_KIND,
        CONTENT_KEY,
        prioritisation_content,
        prioritisation_url,
        title=TITLE,
        label=prioritisation_label,
        hidden=prioritisation_hidden,
    ),
)
