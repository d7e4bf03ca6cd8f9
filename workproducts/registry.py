"""The kinds of work product, each described once. To add a kind (the mapping, say), describe its main model
and its tables here or from another app with `register(Kind(...))`; the Dokumenter tab, the pages, the
signed content, the PDF and the project's history follow from the description."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from projects import documents, extensions
from projects.history import HistorySource, history_of

from . import models as m


@dataclass(frozen=True)
class Section:
    """A table of rows inside a work product (the milestones of the mandate, say)."""

    key: str
    label: Any
    model: type
    fields: tuple[str, ...]
    add_label: Any
    empty: Any
    columns: tuple[str, ...] | None = None  # shown in the table; all fields if None
    clean: Callable | None = None  # fn(row, project): raise ValidationError({field: …}) on bad input
    # Fields added after documents were signed: in the signed content only when they hold a value, so that a
    # document nobody changed keeps the content (and SHA-256) it was signed with.
    optional: tuple[str, ...] = ()

    @property
    def item_label(self):
        return self.model._meta.verbose_name

    @property
    def table_columns(self):
        return self.columns or self.fields


@dataclass(frozen=True)
class Kind:
    key: str
    label: Any
    description: Any
    content_model: type
    fields: tuple[str, ...]
    sections: tuple[Section, ...] = ()
    formats: dict = field(default_factory=dict)  # field name -> fn(value) -> text, for display and content
    include: str = ""  # an extra partial on the page and in the PDF (the risk matrix)
    pdf_template: str = "workproducts/pdf.html"
    pdf_label: Any = None  # "the mandate": names the PDF on the generate button; None: no PDF
    pdf_filename: str = ""  # the download name's stem, e.g. "mandat"
    # More of the content than the main fields and the tables (the mapping's studies, say):
    extra_content: Callable | None = None  # fn(wp) -> [[key, label, value]], appended to the signed content
    page_context: Callable | None = None  # fn(wp, project) -> dict, for the page and the PDF
    pdf_include: str = ""  # a partial the PDF includes after the main fields
    # The labels of `extra_content` in the reader's language: fn(key, stored bokmål label) -> label, or None to
    # show the stored one (see `relabel`).
    extra_label: Callable | None = None
    # Further models with a `project` whose changes show in the project's history beside the content and the
    # tables' rows (the mapping's occupancy studies, say).
    history_models: tuple[type, ...] = ()

    def section(self, key):
        return next((s for s in self.sections if s.key == key), None)


def kinds() -> dict[str, Kind]:
    """Every kind of work product by key (the hook `workproduct_kind`)."""
    return extensions.by_key("workproduct_kind")


def register(kind: Kind) -> Kind:
    """Describe a kind of work product: registered under the hook `workproduct_kind` (its page and the Dokumenter
    tab read it); its content, its tables' rows and its `history_models` become sources of the project's
    history; with a `pdf_label` it also becomes a kind of generated PDF."""
    extensions.register("workproduct_kind", kind)
    _history_source(kind.content_model, content=True)
    for model in (*(s.model for s in kind.sections), *kind.history_models):
        _history_source(model)
    if kind.pdf_label:
        extensions.register(
            "document_kind",
            documents.Kind(
                kind.key,
                kind.pdf_label,
                _render,
                kind.pdf_filename,
                "workproducts.edit_work_product",
                exists=partial(_started, kind.key),
            ),
        )
    return kind


# The models whose history the project's history page reads (each once, however many kinds name it).
HISTORY_MODELS: set[type] = set()


def _history_source(model, content=False):
    if model in HISTORY_MODELS:
        return
    HISTORY_MODELS.add(model)
    if content:  # one per work product, created with it: its creation is the work product's own entry
        source = HistorySource(
            lambda p: history_of(model).filter(work_product__project_id=p.pk).select_related("history_user"),
            lambda r: str(model._meta.verbose_name).capitalize(),
            show_created=False,
        )
    else:
        source = HistorySource(
            lambda p: history_of(model).filter(project_id=p.pk).select_related("history_user"),
            lambda r: f"{str(model._meta.verbose_name).capitalize()}: {r.instance}",
        )
    extensions.register("history_source", source)


def _started(key, project) -> bool:
    """Whether the project has a work product of this kind (its PDF is asked for only then)."""
    from .models import WorkProduct

    return WorkProduct.objects.filter(project=project, kind=key).exists()


def _render(document):
    from .pdf import render_workproduct

    return render_workproduct(document)


def format_nok(value):
    """2500000 -> '2 500 000 kr' (non-breaking spaces, as Norwegian typesetting writes amounts)."""
    if value is None:
        return ""
    return f"{value:,}".replace(",", "\u00a0") + "\u00a0kr"


def _milestone_after_start(row, project):
    from django.core.exceptions import ValidationError
    from django.utils.formats import date_format
    from django.utils.translation import gettext

    if row.date and row.date < project.start_date:
        raise ValidationError(
            {"date": gettext("A milestone cannot lie before the project start (%(start)s).")
             % {"start": date_format(project.start_date, "DATE_FORMAT")}}
        )  # fmt: skip


register(
    Kind(
        key="goals",
        pdf_label=_("the goals and the order form"),
        pdf_filename="maal-og-bestilling",
        label=_("Goals and order form"),
        description=_("Vision, overall and unit goals, the project's own success criteria and the order form to EBE."),
        content_model=m.Goals,
        fields=("vision", "overall_goals", "order_services", "order_notes"),
        sections=(
            Section(
                "unit-goals", _("Goals per unit"), m.UnitGoal, ("unit", "goals"), _("Add unit goals"),
                _("No unit goals yet. Add the local goals of each unit that takes part."),
            ),
            Section(
                "criteria", _("The project's own success criteria"), m.SuccessCriterion,
                ("criterion", "measure", "target"), _("Add a success criterion"),
                _(
                    "No success criteria of the project's own yet. Add one that can be measured; "
                    "the evaluation scores it."
                ),
            ),
        ),
    )
)  # fmt: skip

register(
    Kind(
        key="mandate",
        pdf_label=_("the mandate"),
        pdf_filename="mandat",
        label=_("Mandate"),
        description=_("Financial frame, delivery and quality requirements, milestones, roles and organisation."),
        content_model=m.Mandate,
        fields=(
            "background", "scope", "frame_amount", "frame_covers", "delivery_requirements", "quality_requirements",
            "roles_text", "steering_group", "working_groups",
        ),
        sections=(
            Section(
                "milestones", _("Milestones"), m.Milestone, ("name", "date"), _("Add a milestone"),
                _("No milestones yet. Add the first, e.g. the decision on premises or the move-in."),
                clean=_milestone_after_start,
            ),
        ),
        formats={"frame_amount": format_nok},
        pdf_template="workproducts/mandate_pdf.html",
    )
)  # fmt: skip


def _residual_both_or_neither(row, project):
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext

    likelihood, consequence = row.residual_likelihood, row.residual_consequence
    if (likelihood is None) != (consequence is None):
        missing = "residual_consequence" if consequence is None else "residual_likelihood"
        raise ValidationError(
            {missing: gettext("Give both the likelihood and the consequence after the measures, or neither.")}
        )


register(
    Kind(
        key="risk_assessment",
        pdf_label=_("the risk assessment"),
        pdf_filename="risikovurdering",
        label=_("Risk assessment"),
        description=_("Hazards to the working environment scored for likelihood and consequence, with measures."),
        content_model=m.RiskAssessment,
        fields=("scope", "review_on"),
        sections=(
            Section(
                "hazards", _("Hazards"), m.Hazard,
                ("description", "exposed", "likelihood", "consequence", "existing_measures", "new_measures",
                 "residual_likelihood", "residual_consequence", "responsible", "deadline", "status"),
                _("Add a hazard"), _("No risks registered yet. Add the first one."),
                columns=("description", "exposed", "likelihood", "consequence", "new_measures", "responsible",
                         "deadline", "status"),
                clean=_residual_both_or_neither,
                optional=("residual_likelihood", "residual_consequence"),
            ),
        ),
        include="workproducts/_risk_matrix.html",
    )
)  # fmt: skip

register(
    Kind(
        key="information_plan",
        pdf_label=_("the information plan"),
        pdf_filename="informasjonsplan",
        label=_("Information plan"),
        description=_("Purpose of the communication, the stakeholders and who informs whom, how and when."),
        content_model=m.InformationPlan,
        fields=("purpose",),
        sections=(
            Section(
                "stakeholders", _("Stakeholders"), m.Stakeholder, ("name", "interest", "influence", "needs"),
                _("Add a stakeholder"), _("No stakeholders yet. Start with the employees and the leaders."),
            ),
            Section(
                "measures", _("Information measures"), m.InformationMeasure,
                ("what", "audience", "channel", "responsible", "when", "done"), _("Add a measure"),
                _("No information measures yet."),
            ),
        ),
    )
)  # fmt: skip

register(
    Kind(
        key="ict_plan",
        pdf_label=_("the ICT plan"),
        pdf_filename="ikt-plan",
        label=_("ICT plan"),
        description=_("Needs, new tools, digitalisation and archive tasks, training and a test station."),
        content_model=m.IctPlan,
        fields=("summary",),
        sections=(
            Section(
                "tasks", _("Needs and tasks"), m.IctTask,
                ("category", "description", "responsible", "due_date", "done"),
                _("Add a need or task"), _("No ICT needs or tasks yet."),
            ),
        ),
    )
)  # fmt: skip


# Documents whose result is words and files (issue 28): every document the shipped templates declare has a page.
RESULT_KINDS = (
    ("needs_goals", _("Needs measured against goals"),
     _("The future needs the solution must meet, found by holding the mapping against the goals.")),
    ("zone_programme", _("Zone programme"),
     _("The zones of the premises, what each is for and which should lie close to each other.")),
    ("floor_plan", _("Floor plan and furnishing"),
     _("The drawings of the premises and their furnishing, as reviewed with the working group and the parties.")),
    ("implementation_plan", _("Implementation plan"),
     _("The plan for the building work and the move: who does what and when, and how users are kept informed.")),
    ("house_rules", _("Rules of use"),
     _("How the premises are used day to day: zones, quiet rooms, booking, tidying at the end of the day.")),
    ("survey_report", _("Survey report"),
     _("The findings of the interviews and the written material, as presented to the leader, the "
       "representatives and the employees.")),
)  # fmt: skip

for _key, _label, _description in RESULT_KINDS:
    register(Kind(key=_key, label=_label, description=_description, content_model=m.ResultDocument, fields=("result",)))


@dataclass(frozen=True)
class Elsewhere:
    """A document a template declares that another app keeps on a page of its own (hook `document_elsewhere`):
    the evaluation, the final documentation, the HMS action plan. `url(project, user)` is that page, or None
    while it does not exist yet (the Evaluation tab before the move-in); `waiting` then says why."""

    key: str
    label: Any
    url: Callable
    waiting: Any = ""


def elsewhere() -> dict[str, Elsewhere]:
    return extensions.by_key("document_elsewhere")


# Who has signed a document: participation registers fn(work_product) -> [step views] (the steps that include the
# document, with their sign-offs) under the hook `workproduct_signoff_source`, so the PDF prints the sign-off
# status without workproducts importing participation.


# Signed content that is not a work product: another app describes it (hook `step_content`) for the
# participation steps of a kind (evaluation: the HMS measures the parties prioritise, for "prioritisation" steps).
# `content(project_id)`
# returns {"kind": key, "title": …, "fields": [[key, label, value], …]} like a work product's content (so the step
# page shows it and a representative sees the fields changed since signing), or None when there is nothing to
# sign. The owner sends the step for sign-off as any other. `url(project, user)` is where the step page's "Open the
# document" leads (None: nowhere this person may go). The app sends `phases.signals.step_content_changed` inside
# the transaction of every write that changes the content.
# The content is stored in bokmål (the SHA-256 must not depend on who looks); `title` and `label(key, stored)`
# name it in the reader's language on the step page and in the differences (`label` returns None to show the
# stored label). `hidden(project, reader, rows)` names the rows ("measures.12") whose words this reader may not
# see, each with the neutral text shown instead ({row: text}); participation/snapshot.py hides them wherever the
# content is shown (see docs/decisions.md, "Sensitive stays sensitive").
@dataclass(frozen=True)
class StepContent:
    step_kind: str
    key: str
    content: Callable
    url: Callable
    title: Any = None
    label: Callable | None = None
    hidden: Callable | None = None


def step_contents() -> dict[str, StepContent]:
    """The content another app provides for steps, by step kind (the hook `step_content`)."""
    return extensions.by_key("step_content", "step_kind")


def step_content_by_key(key: str) -> StepContent | None:
    """The entry whose content carries `key` as its kind ("hms_measures")."""
    return next((e for e in step_contents().values() if e.key == key), None)


def relabel(stored: str, msgid: str) -> str | None:
    """A label that was stored as the bokmål of `gettext(msgid) % values`, said again in the active language
    with the same values; None when the stored text does not have that form (a translation changed since)."""
    with translation.override("nb"):
        pattern = gettext(msgid)
    parts = re.split(r"%\((\w+)\)s", pattern)
    regex = "".join(
        re.escape(part.replace("%%", "%")) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts)
    )
    match = re.fullmatch(regex, stored, re.S)
    if match is None:
        return None
    return gettext(msgid) % match.groupdict() if match.groupdict() else gettext(msgid)
