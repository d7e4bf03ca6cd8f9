"""Writes of the mapping and the area programme. The document's tables (units, rooms) go through the generic
`workproduct_row_save`; what is particular to these two lives here, checked and in one transaction, and every
change refreshes the document's content hash (a new version, outdated sign-offs) like any other change."""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from projects.models import Project, User
from projects.services import fields_assign, with_history_user
from projects.uploads import attachment_store
from workproducts.models import WorkProduct
from workproducts.services import _locked, workproduct_part_remove, workproduct_refresh, workproduct_start

from .models import (
    AreaNorm,
    MappingUnit,
    Observation,
    OccupancyStudy,
    PlanFile,
    Proximity,
    RoomType,
    StudyZone,
)

EDIT = "workproducts.edit_work_product"
CATALOGUE = "space.manage_room_catalogue"
MAX_STUDY_DAYS = 21  # one or two normal weeks, with a weekend or a holiday to spare


def _require(by, perm, obj=None):
    if not (by.has_perm(perm, obj) if obj is not None else by.has_perm(perm)):
        raise PermissionDenied


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def mapping_start(*, project: Project, by: User) -> WorkProduct:
    return workproduct_start(project=project, kind="mapping", by=by)


# Proximity -----------------------------------------------------------------------------------------------------


@transaction.atomic
def proximity_save(*, work_product: WorkProduct, by: User, needs: dict) -> WorkProduct:
    """Store the need for proximity (0–3) of pairs of the mapping's units: {(unit id, unit id): need}."""
    _require(by, EDIT, work_product.project)
    wp = _locked(work_product)
    unit_ids = set(MappingUnit.objects.filter(work_product=wp).values_list("pk", flat=True))
    existing = {(p.unit_a_id, p.unit_b_id): p for p in Proximity.objects.filter(work_product=wp)}
    for (a, b), need in needs.items():
        if a == b or a not in unit_ids or b not in unit_ids:
            raise ValidationError(_("A pair names a unit that is not in the mapping."))
        if not isinstance(need, int) or not 0 <= need <= 3:
            raise ValidationError(_("The need for proximity is a whole number from 0 to 3."))
        a, b = min(a, b), max(a, b)
        row = existing.get((a, b))
        if row is None:
            if need:
                with_history_user(Proximity(work_product=wp, unit_a_id=a, unit_b_id=b, need=need), by).save()
        elif row.need != need:
            row.need = need
            with_history_user(row, by).save()
    return workproduct_refresh(work_product=wp, by=by)


# Occupancy studies ---------------------------------------------------------------------------------------------

STUDY_FIELDS = ("name", "timing", "starts_on", "ends_on", "first_hour", "last_hour", "buffer_percent", "sharing_ratio")


def _study_rules(study):
    errors = {}
    if study.starts_on and study.ends_on:
        if study.ends_on < study.starts_on:
            errors["ends_on"] = _("The last day cannot be before the first.")
        elif (study.ends_on - study.starts_on).days >= MAX_STUDY_DAYS:
            errors["ends_on"] = _("A study covers one or two normal weeks (at most %(n)s days).") % {
                "n": MAX_STUDY_DAYS
            }
    if study.first_hour is not None and study.last_hour is not None and study.last_hour < study.first_hour:
        errors["last_hour"] = _("The last round cannot be before the first.")
    if study.pk and (study.starts_on or study.ends_on):
        outside = Observation.objects.filter(study=study).exclude(date__range=(study.starts_on, study.ends_on))
        if outside.exists():
            errors["starts_on"] = _("Observations are recorded outside these dates. Remove them first.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def study_save(*, project: Project, by: User, data: dict, study: OccupancyStudy | None = None) -> OccupancyStudy:
    """Create an occupancy study on the project's mapping (started on first use), or change one."""
    _require(by, EDIT, project)
    wp = _locked(study.work_product if study else mapping_start(project=project, by=by))
    study = fields_assign(study or OccupancyStudy(project=project, work_product=wp), data, STUDY_FIELDS)
    study.full_clean(exclude=["project", "work_product"])
    _study_rules(study)
    with_history_user(study, by).save()
    workproduct_refresh(work_product=wp, by=by)
    return study


@transaction.atomic
def study_delete(*, study: OccupancyStudy, by: User) -> WorkProduct:
    return workproduct_part_remove(part=study, by=by)  # its zones and observations go with it


ZONE_FIELDS = ("name", "kind", "unit", "places")


@transaction.atomic
def zone_save(*, study: OccupancyStudy, by: User, data: dict, zone: StudyZone | None = None) -> StudyZone:
    _require(by, EDIT, study.project)
    wp = _locked(study.work_product)
    zone = zone or StudyZone(study=study)
    if zone.study_id != study.pk:
        raise ValidationError(_("The zone belongs to another study."))
    fields_assign(zone, data, ZONE_FIELDS)
    zone.full_clean(exclude=["study"])
    if zone.unit_id and zone.unit.work_product_id != wp.pk:
        raise ValidationError({"unit": _("Choose a unit of this mapping.")})
    if StudyZone.objects.filter(study=study, name__iexact=zone.name).exclude(pk=zone.pk).exists():
        raise ValidationError({"name": _("The study has a zone of this name already.")})
    if zone.pk:
        too_many = (
            Observation.objects.filter(zone=zone).annotate(used=F("occupied") + F("away")).filter(used__gt=zone.places)
        )
        if zone.kind == StudyZone.Kind.WORKSTATIONS and too_many.exists():
            raise ValidationError({"places": _("Rounds already recorded have more people than this many places.")})
    with_history_user(zone, by).save()
    workproduct_refresh(work_product=wp, by=by)
    return zone


@transaction.atomic
def zone_delete(*, zone: StudyZone, by: User) -> WorkProduct:
    _require(by, EDIT, zone.study.project)
    wp = _locked(zone.study.work_product)
    with_history_user(zone, by).delete()
    return workproduct_refresh(work_product=wp, by=by)


def check_counts(zone, occupied, away, free, persons) -> dict:
    """The rules of one observation, as {field: message}; shared by the grid and the import."""
    errors = {}
    for name, value in (("occupied", occupied), ("away", away), ("free", free), ("persons", persons)):
        if value is not None and (not isinstance(value, int) or value < 0):
            errors[name] = _("A count is a whole number, 0 or more.")
    if errors:
        return errors
    if zone.kind == StudyZone.Kind.WORKSTATIONS:
        used = (occupied or 0) + (away or 0)
        if used > zone.places:
            errors["occupied"] = _("Occupied and temporarily away are %(n)s, more than the %(p)s places.") % {
                "n": used, "p": zone.places,
            }  # fmt: skip
        elif free is not None and used + free > zone.places:
            errors["free"] = _("Occupied, away and unoccupied are %(n)s, more than the %(p)s places.") % {
                "n": used + free, "p": zone.places,
            }  # fmt: skip
    elif persons is not None and persons > 1000:
        errors["persons"] = _("More than 1 000 persons in one room: check the number.")
    return errors


def check_round(study, day: date, hour: int) -> dict:
    errors = {}
    if not (study.starts_on <= day <= study.ends_on):
        errors["date"] = _("The date lies outside the study (%(a)s–%(b)s).") % {
            "a": study.starts_on.strftime("%d.%m.%Y"), "b": study.ends_on.strftime("%d.%m.%Y"),
        }  # fmt: skip
    if not (0 <= hour <= 23):
        errors["hour"] = _("The hour is a whole number from 0 to 23.")
    return errors


@transaction.atomic
def round_save(*, study: OccupancyStudy, by: User, day: date, hour: int, counts: dict) -> int:
    """Record one round (the grid): {zone id: {"occupied", "away", "free", "persons"}}. A zone left empty
    (all None) removes what the round held for it. Every zone is checked before anything is written."""
    _require(by, EDIT, study.project)
    wp = _locked(study.work_product)
    errors = check_round(study, day, hour)
    if errors:
        raise ValidationError(errors)
    zones = {z.pk: z for z in StudyZone.objects.filter(study=study)}
    problems = []
    for zone_id, c in counts.items():
        zone = zones.get(zone_id)
        if zone is None:
            raise ValidationError(_("A zone is not in the study."))
        found = check_counts(zone, c.get("occupied"), c.get("away"), c.get("free"), c.get("persons"))
        for field, message in found.items():
            problems.append(ValidationError(f"{zone.name}: {message}", code=field))
    if problems:
        raise ValidationError(problems)
    existing = {o.zone_id: o for o in Observation.objects.filter(study=study, date=day, hour=hour)}
    written = 0
    for zone_id, c in counts.items():
        values = {k: c.get(k) for k in ("occupied", "away", "free", "persons")}
        row = existing.get(zone_id)
        if all(v is None for v in values.values()):
            if row is not None:
                row.delete()
            continue
        row = row or Observation(study=study, zone_id=zone_id, date=day, hour=hour)
        row.occupied, row.away = values["occupied"] or 0, values["away"] or 0
        row.free, row.persons = values["free"], values["persons"] or 0
        row.save()
        written += 1
    workproduct_refresh(work_product=wp, by=by)
    return written


def study_days(study) -> list[date]:
    """The weekdays of the study, for the grid's date choice."""
    days, d = [], study.starts_on
    while d <= study.ends_on:
        if d.weekday() < 5:
            days.append(d)
        d += timedelta(days=1)
    return days


# Plans (zone programme, floor and furnishing plans) ------------------------------------------------------------


@transaction.atomic
def plan_add(*, project: Project, by: User, kind: str, description: str, upload) -> PlanFile:
    _require(by, EDIT, project)
    wp = _locked(workproduct_start(project=project, kind="area_programme", by=by))
    plan = PlanFile(project=project, work_product=wp, kind=kind, description=_strip(description))
    plan.full_clean(
        exclude=["project", "work_product", "file", "original_name", "size", "content_type", "sha256", "uploaded_by"]
    )
    attachment_store(with_history_user(plan, by), upload=upload, by=by)
    workproduct_refresh(work_product=wp, by=by)
    return plan


@transaction.atomic
def plan_remove(*, plan: PlanFile, by: User) -> WorkProduct:
    return workproduct_part_remove(part=plan, by=by)


# Room catalogue and area norms (coordinators) -----------------------------------------------------------------


@transaction.atomic
def room_type_save(*, by: User, room_type: RoomType | None = None, **fields) -> RoomType:
    _require(by, CATALOGUE)
    room_type = fields_assign(room_type or RoomType(), fields)
    room_type.full_clean()
    with_history_user(room_type, by).save()
    return room_type


@transaction.atomic
def area_norm_save(*, by: User, project_kind: str, **fields) -> AreaNorm:
    _require(by, CATALOGUE)
    norm = AreaNorm.objects.select_for_update().filter(project_kind=project_kind).first()
    norm = fields_assign(norm or AreaNorm(project_kind=project_kind), fields)
    norm.full_clean()
    with_history_user(norm, by).save()
    return norm
