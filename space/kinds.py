"""The mapping and the area programme described for the work-product registry: the Dokumenter tab, the page,
the signed content and the one PDF (the mapping's, which prints the area programme too) follow from this."""

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from workproducts.registry import Kind, Section, register, relabel

from . import models as m
from . import selectors


def _unit_shares(row, project):
    if row.desk_share + row.meeting_share + row.away_share > 100:
        raise ValidationError(
            {"away_share": gettext("At the desk, in meetings and out of the office add up to more than 100 per cent.")}
        )


def _area_line(row, project):
    if row.room_type_id and not row.room_type.active and (row.pk is None or _room_type_changed(row)):
        raise ValidationError({"room_type": gettext("This room type is no longer offered in the catalogue.")})
    if row.m2_each is None and row.room_type_id:
        row.m2_each = row.room_type.m2


def _room_type_changed(row):
    return not m.AreaLine.objects.filter(pk=row.pk, room_type_id=row.room_type_id).exists()


def _m2(value):
    """5.5 -> '5,5' (a decimal comma, as Norwegian readers write it)."""
    return "" if value is None else str(value).replace(".", ",")


def _pct(value):
    return "–" if value is None else f"{value} %"


# The labels of the extra content, stored in bokmål; `_mapping_label` and `_area_label` name them again in the
# reader's language on the step page and in the differences.
PROXIMITY = gettext_noop("Proximity need %(a)s – %(b)s")
STUDY = gettext_noop("Occupancy study «%(name)s»")
ZONE_TOTAL = gettext_noop("Total for %(zone)s")
AREA_TOTALS = {
    "total.net": gettext_noop("Net area"),
    "total.gross": gettext_noop("Area with circulation and walls"),
    "per_employee": gettext_noop("m² per employee"),
}


def _mapping_label(key, stored):
    kind = key.partition(".")[0]
    if kind == "proximity":
        return relabel(stored, PROXIMITY)
    if kind == "study":
        return relabel(stored, STUDY)
    return None


def _area_label(key, stored):
    if key in AREA_TOTALS:
        return gettext(AREA_TOTALS[key])
    kind = key.partition(".")[0]
    if kind == "zone":
        zone = next((z for z in m.Zone if _nb(z.label) == key.partition(".")[2]), None)  # keyed by its bokmål
        return gettext(ZONE_TOTAL) % {"zone": zone.label} if zone is not None else None
    if kind == "plan":
        for choice in m.PlanFile.Kind:
            prefix = f"{_nb(choice.label)} «"
            if stored.startswith(prefix):
                return f"{choice.label} «{stored.removeprefix(prefix)}"
    return None


def _nb(text):
    with translation.override("nb"):
        return str(text)


def _mapping_extra(wp):
    """The proximity needs and each study's results, as signed content (in bokmål: the caller overrides)."""
    out = []
    unit_list = selectors.units(wp)
    for a, b, need in selectors.proximity_pairs(wp, unit_list):
        out.append([f"proximity.{a.pk}.{b.pk}", gettext(PROXIMITY) % {"a": a, "b": b}, str(need)])
    for study in selectors.studies(wp):
        report = selectors.study_report(study, project=wp.project, unit_list=unit_list, wp=wp)
        s = report.result.overall
        head = gettext(STUDY) % {"name": study.name}
        zones = ", ".join(f"{z.name} ({z.places})" for z in report.zones)
        summary = gettext(
            "%(from)s–%(to)s, %(when)s; zones: %(zones)s; %(n)s observations; average %(avg)s, peak %(peak)s, modal "
            "%(modal)s; workstations needed %(need)s (peak %(present)s plus %(buffer)s %%), headcount × %(ratio)s "
            "gives %(by_ratio)s"
        ) % {
            "from": study.starts_on.strftime("%d.%m.%Y"), "to": study.ends_on.strftime("%d.%m.%Y"),
            "when": study.get_timing_display(), "zones": zones or "–", "n": report.result.observations,
            "avg": _pct(s.average_pct), "peak": _pct(s.peak_pct), "modal": _pct(s.modal_pct),
            "need": report.needed if report.needed is not None else "–", "present": s.peak_present,
            "buffer": study.buffer_percent, "ratio": study.sharing_ratio,
            "by_ratio": report.by_ratio if report.by_ratio is not None else "–",
        }  # fmt: skip
        out.append([f"study.{study.pk}", head, summary])
    return out


def _mapping_page(wp, project):
    unit_list = selectors.units(wp)
    reports = [selectors.study_report(s, project=project, unit_list=unit_list, wp=wp) for s in selectors.studies(wp)]
    for r in reports:
        r.chart = selectors.chart(r)
    context = {
        "proximity": selectors.proximity_matrix(wp, unit_list), "mapping_units": unit_list,
        "proximity_pairs": selectors.proximity_pairs(wp, unit_list), "reports": reports,
    }  # fmt: skip
    context.update({f"area_{k}": v for k, v in selectors.area_report(project).items()})
    return context


def _area_context(wp, project, prefix=""):
    if wp is None:
        report = {"wp": None, "lines": [], "check": selectors.area_check(None, project, []), "programme": None,
                  "plans": []}  # fmt: skip
    else:
        report = selectors.area_report(project, wp)
    return {f"{prefix}{k}": v for k, v in report.items()}


def _area_page(wp, project):
    return _area_context(wp, project)


def _area_extra(wp):
    check = selectors.area_check(wp, wp.project)
    out = [[f"zone.{label}", gettext(ZONE_TOTAL) % {"zone": label}, f"{m2} m²"] for label, m2 in check.zone_totals]
    out.append(["total.net", gettext(AREA_TOTALS["total.net"]), f"{check.net_m2} m²"])
    out.append(["total.gross", gettext(AREA_TOTALS["total.gross"]), f"{check.gross_m2} m²"])
    out.append(
        ["per_employee", gettext(AREA_TOTALS["per_employee"]), f"{check.per_employee or '–'} (norm {check.norm_max})"]
    )
    for p in m.PlanFile.objects.filter(work_product=wp):
        out.append([f"plan.{p.pk}", f"{p.get_kind_display()} «{p.original_name}»", p.description])
    return out


MAPPING = register(
    Kind(
        key="mapping",
        pdf_label=_("the mapping and the area programme"),
        pdf_filename="kartlegging-og-arealprogram",
        label=_("Mapping of today's practice"),
        description=_(
            "Units and their ways of working, the proximity matrix, special functions and occupancy studies."
        ),
        content_model=m.Mapping,
        fields=("findings", "methods"),
        sections=(
            Section(
                "units", _("Units and ways of working"), m.MappingUnit,
                ("name", "headcount", "special_functions", "desk_share", "meeting_share", "away_share", "focus_share"),
                _("Add a unit"), _("No units yet. Add each unit with its headcount."), clean=_unit_shares,
            ),
        ),
        extra_content=_mapping_extra,
        extra_label=_mapping_label,
        page_context=_mapping_page,
        include="space/_mapping.html",
        pdf_include="space/_mapping_pdf.html",
        history_models=(m.OccupancyStudy,),
    )
)  # fmt: skip

AREA_PROGRAMME = register(
    Kind(
        key="area_programme",
        label=_("Area programme"),
        description=_("Main profile, rooms from the room catalogue with counts and m², held against the area norm."),
        content_model=m.AreaProgramme,
        fields=("main_profile", "profile_notes", "employees", "addition_percent", "special_functions"),
        sections=(
            Section(
                "rooms", _("Rooms"), m.AreaLine, ("room_type", "count", "m2_each", "note"), _("Add a room"),
                _("No rooms yet. Choose rooms from the room catalogue."), clean=_area_line,
            ),
        ),
        formats={"m2_each": _m2},
        extra_content=_area_extra,
        extra_label=_area_label,
        page_context=_area_page,
        include="space/_area.html",
        history_models=(m.PlanFile,),
    )
)  # fmt: skip
