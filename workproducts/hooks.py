"""How work products plug into projects and phases: the Dokumenter tab, the coordinators' list of EBE services,
the activity page's document card, the work product's own history entries."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projects import extensions
from projects.history import HistorySource, history_of
from projects.models import Project

from . import models as m
from .registry import elsewhere, kinds

extensions.register("project_tab", extensions.Tab("documents", _("Documents"), "workproducts:list", 25))


@extensions.register("nav_item", order=35)
def _services_link(request):
    if not request.user.has_perm("workproducts.manage_order_services"):
        return None
    return {
        "label": _("EBE services"),
        "url": reverse("workproducts:order_services"),
        "active": request.resolver_match is not None
        and request.resolver_match.view_name in ("workproducts:order_services", "workproducts:order_service"),
    }


@extensions.register("dashboard_risk_matrix")
def _open_hazards(projects):
    """The coordinators' portfolio risk matrix: the open hazards of the filtered projects, in one query."""
    from .selectors import open_hazards

    return [(h.likelihood, h.consequence, h) for h in open_hazards(project_ids=projects.values("pk"))]


def _kind_label(record):
    kind = kinds().get(record.kind)
    return str(kind.label) if kind else record.kind


extensions.register(
    "history_source",
    HistorySource(
        lambda p: history_of(m.WorkProduct).filter(project_id=p.pk).select_related("history_user"),
        lambda r: str(_("Document: %(doc)s") % {"doc": _kind_label(r)}),
    ),
)
# Each kind's content and tables are sources of the history too: `registry.register` adds them.
extensions.register(
    "history_source",
    HistorySource(
        lambda p: history_of(m.WorkProductFile).filter(project_id=p.pk).select_related("history_user"),
        lambda r: str(_("Attached file: %(name)s") % {"name": r.original_name}),
    ),
)


@extensions.register("demo_seeder", order=30)
def _seed_demo_documents(projects, users):
    """The first demo project's goals, mandate, risk assessment, information and ICT plans (phase 1 under way)."""
    from datetime import timedelta

    from . import services
    from .models import OrderService, WorkProduct

    project = projects.get("2026/1001")
    if project is None or WorkProduct.objects.filter(project=project).exists():
        return
    owner = users["eier@demo.kommune.no"]
    manager = users.get("prosjektleder@demo.kommune.no")
    start = project.start_date
    if not OrderService.objects.exists():  # a test run that flushed the database also removed the starting list
        from .defaults import SERVICES

        for n, (name, description) in enumerate(SERVICES, start=1):
            OrderService.objects.get_or_create(name=name, defaults={"description": description, "order": n * 10})
    goals = services.workproduct_start(project=project, kind="goals", by=owner)
    services.workproduct_save(
        work_product=goals, by=owner,
        data={
            "vision": "Et åpent og fleksibelt kontor der vi deler kunnskap og finner ro når vi trenger det.",
            "overall_goals": "Bedre samarbeid på tvers av seksjonene.\nMindre areal per ansatt.\nFærre papirarkiv.",
            "order_services": list(OrderService.objects.filter(name__in=[
                "Bistand til mandat", "Kartlegging av dagens praksis", "Arealprogram og konsept", "Flytting",
            ])),
            "order_notes": "Vi ønsker særlig hjelp til kartleggingen og arealprogrammet.",
        },
    )  # fmt: skip
    for unit, text in (
        ("Økonomiseksjonen", "Samle regnskap og lønn i én sone.\nKortere vei til fagsystemene."),
        ("Innkjøp og avtaler", "Flere rom for skjermet arbeid ved anbudsevaluering."),
    ):
        services.workproduct_row_save(
            work_product=goals, section="unit-goals", by=owner, data={"unit": unit, "goals": text}
        )
    services.workproduct_row_save(
        work_product=goals, section="criteria", by=owner,
        data={"criterion": "Ansatte finner en egnet arbeidsplass når de trenger den",
              "measure": "Spørreundersøkelse før og etter innflytting", "target": "Minst 80 prosent svarer ja"},
    )  # fmt: skip
    services.order_send(work_product=goals, by=owner)

    mandate = services.workproduct_start(project=project, kind="mandate", by=owner)
    services.workproduct_save(
        work_product=mandate, by=owner,
        data={
            "background": "Enheten skal samles i nye, aktivitetsbaserte lokaler når leiekontrakten går ut.",
            "scope": "Ombygging og innflytting i 3. og 4. etasje. Parkering og kantine er ikke med.",
            "frame_amount": 2_500_000,
            "frame_covers": "Ombygging, møbler, IKT-utstyr i møterom og flytting.",
            "delivery_requirements": "Lokalene er klare til innflytting i tråd med planlagt dato.",
            "quality_requirements": "Universell utforming. Støykrav etter NS 8175 klasse C.",
            "roles_text": "EBE leder byggeprosjektet. HR bistår med endringsledelse.",
            "steering_group": "Direktør (leder), enhetsleder, EBE-koordinator.",
            "working_groups": "Arbeidsgruppe for soner og bruksregler med én ansatt fra hver seksjon.",
        },
    )  # fmt: skip
    # The milestones follow the process's own deadlines, and the move-in is the planned move-in (one story).
    from phases.models import Activity

    due = dict(Activity.objects.filter(project=project, work_product__in=("mandate", "area_programme"))
               .values_list("work_product", "due_date"))  # fmt: skip
    for name, day in (
        ("Mandat vedtatt", due.get("mandate") or start + timedelta(days=60)),
        ("Arealprogram klart", due.get("area_programme") or start + timedelta(days=150)),
        ("Innflytting", project.planned_move_in),
    ):
        services.workproduct_row_save(
            work_product=mandate, section="milestones", by=owner, data={"name": name, "date": day}
        )  # fmt: skip

    risk = services.workproduct_start(project=project, kind="risk_assessment", by=owner)
    services.workproduct_save(
        work_product=risk,
        by=owner,
        data={"scope": "Flytting til aktivitetsbasert kontor. Vurdert av prosjekteier, verneombud og BHT."},
    )
    for description, exposed, lk, c, measure, status in (
        (
            "Støy og forstyrrelser i åpent landskap",
            "Saksbehandlere",
            4,
            3,
            "Stillerom og soner for konsentrasjon",
            "open",
        ),
        (
            "Usikkerhet og ekstra belastning i overgangen",
            "Alle ansatte",
            3,
            4,
            "Informasjonsmøter og samtaler",
            "in_progress",
        ),
        ("For få skjermede rom for fortrolige samtaler", "Ledere og HR", 3, 3, "Telefonrom og små møterom", "open"),
        ("Behov for individuell tilrettelegging", "Ansatte med særskilte behov", 2, 4, "Kartlegging med BHT", "open"),
        ("Dårlig inneklima i overgangsperioden", "Alle ansatte", 2, 2, "", "closed"),
    ):
        services.workproduct_row_save(
            work_product=risk, section="hazards", by=owner,
            data={"description": description, "exposed": exposed, "likelihood": lk, "consequence": c,
                  "new_measures": measure, "status": status, "responsible": owner,
                  "deadline": start + timedelta(days=90)},
        )  # fmt: skip

    info = services.workproduct_start(project=project, kind="information_plan", by=owner)
    services.workproduct_save(
        work_product=info,
        by=owner,
        data={"purpose": "Alle ansatte skal vite hvorfor vi flytter, hva som skjer når, og hvor de kan påvirke."},
    )
    for name, interest, influence, needs in (
        ("Ansatte", "Egen arbeidsplass og arbeidshverdag", "high", "Tidlig og jevnlig informasjon"),
        ("Ledergruppen", "Gjennomføring og resultater", "high", "Status hver måned"),
        ("Brukere og besøkende", "Tilgjengelighet og resepsjon", "low", "Informasjon om ny adresse"),
    ):
        services.workproduct_row_save(
            work_product=info, section="stakeholders", by=owner,
            data={"name": name, "interest": interest, "influence": influence, "needs": needs},
        )  # fmt: skip
    services.workproduct_row_save(
        work_product=info, section="measures", by=owner,
        data={"what": "Informasjonsmøte om oppstart", "audience": "Alle ansatte", "channel": "Allmøte",
              "responsible": owner, "when": start + timedelta(days=7), "done": True},
    )  # fmt: skip

    ict = services.workproduct_start(project=project, kind="ict_plan", by=manager or owner)
    services.workproduct_save(
        work_product=ict,
        by=manager or owner,
        data={"summary": "Flyttingen gir mulighet til å fjerne papirarkiv og ta i bruk digitale møterom."},
    )
    for category, description in (
        ("tool", "Trådløs skjermdeling i alle møterom"),
        ("archive", "Skanne og avslutte papirarkivet i 2. etasje"),
        ("training", "Opplæring i Teams-rom og booking"),
        ("test_station", "Teststasjon med skjerm og dokkingstasjon i kantinen"),
    ):
        services.workproduct_row_save(
            work_product=ict, section="tasks", by=manager or owner,
            data={"category": category, "description": description, "responsible": manager or owner,
                  "due_date": start + timedelta(days=120)},
        )  # fmt: skip


@extensions.register("activity_panel", order=10)
def _activity_document(project, activity):
    """The activity page's card for the document the activity produces, if it produces one."""
    kind = kinds().get(activity.work_product) or elsewhere().get(activity.work_product)
    if kind is None:
        return None
    document = m.WorkProduct.objects.filter(project=project, kind=kind.key).first()
    return {"template": "workproducts/_activity_panel.html", "kind": kind, "document": document,
            "elsewhere": kind.key not in kinds()}  # fmt: skip


def _orders_sent():
    """Order forms sent to EBE and not yet accepted, in active projects: a coordinator accepts them."""
    return m.Goals.objects.filter(
        order_state=m.Goals.OrderState.SENT, work_product__project__status=Project.Status.ACTIVE
    )


def _orders_sent_rows(limit):
    goals = _orders_sent().select_related("work_product__project").order_by("order_sent_at", "pk")[:limit]
    return [
        extensions.QueueRow(
            title=str(_("Order form")),
            project=g.work_product.project,
            since=timezone.localdate(g.order_sent_at) if g.order_sent_at else None,
            url=reverse("workproducts:order_accept", args=[g.work_product.project_id]),
            action=_("Accept the order"),
        )
        for g in goals
    ]


extensions.register(
    "coordinator_queue",
    extensions.QueueSource("orders_sent", _("Order forms sent to EBE"), 10, _orders_sent, _orders_sent_rows),
)
