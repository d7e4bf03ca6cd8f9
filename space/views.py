"""Pages of the mapping and the area programme that the generic document pages do not cover: the proximity
grid, occupancy studies (zones, the round grid, import and template), plans, the room catalogue and norms."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from projects import selectors as project_selectors
from projects.forms import form_errors_from, service_errors
from projects.models import Project
from projects.permissions import get_project_for
from projects.uploads import file_download

from . import imports, selectors, services
from .forms import (
    COUNTS,
    AreaNormForm,
    ImportForm,
    PlanForm,
    RoomTypeForm,
    RoundForm,
    RoundFormSet,
    StudyForm,
    ZoneForm,
)
from .kinds import AREA_PROGRAMME, MAPPING
from .models import AreaNorm, Observation, OccupancyStudy, PlanFile, RoomType, StudyZone

EDIT = "workproducts.edit_work_product"


def _mapping_url(project, anchor=""):
    return reverse("workproducts:detail", args=[project.pk, "mapping"]) + (f"#{anchor}" if anchor else "")


def _study_url(study, anchor=""):
    return reverse("space:study", args=[study.project_id, study.pk]) + (f"#{anchor}" if anchor else "")


def _has_activity(project, kind):
    from phases.models import Activity

    if not Activity.objects.filter(project=project, work_product=kind).exists():
        raise Http404


def _study(project, study_id) -> OccupancyStudy:
    try:
        return OccupancyStudy.objects.select_related("work_product").get(pk=study_id, project=project)
    except OccupancyStudy.DoesNotExist:
        raise Http404 from None


def _page(request, template, project, spec, **context):
    status = context.pop("status", 200)
    return render(request, template, {"project": project, "spec": spec, "tab": "documents", **context}, status=status)


def _form_page(request, project, spec, *, form, title, back, status=200, multipart=False, intro=""):
    return _page(
        request, "workproducts/form.html", project, spec, form=form, title=title, back=back,
        status=status, multipart=multipart, intro=intro,
    )  # fmt: skip


def _confirm(request, project, spec, *, title, text, back):
    return render(
        request, "workproducts/confirm.html",
        {"project": project, "spec": spec, "tab": "documents", "title": title, "text": text,
         "button": _("Remove"), "danger": True, "back": back},
    )  # fmt: skip


# Proximity -----------------------------------------------------------------------------------------------------


@login_required
def proximity_edit(request, project_id):
    project = get_project_for(request.user, project_id, EDIT)
    _has_activity(project, "mapping")
    wp = selectors.mapping_of(project)
    unit_list = selectors.units(wp)
    if len(unit_list) < 2:
        messages.info(request, _("Add at least two units before the proximity matrix."))
        return redirect(_mapping_url(project, "units"))
    pairs = selectors.proximity_pairs(wp, unit_list)
    errors = []
    if request.method == "POST":
        needs = {}
        for a, b, _need in pairs:
            raw = request.POST.get(f"need-{min(a.pk, b.pk)}-{max(a.pk, b.pk)}", "0")
            try:
                needs[(a.pk, b.pk)] = int(raw)
            except ValueError:
                errors.append(_("%(a)s – %(b)s: choose 0, 1, 2 or 3.") % {"a": a, "b": b})
        if not errors:
            try:
                services.proximity_save(work_product=wp, by=request.user, needs=needs)
            except ValidationError as exc:
                errors.extend(exc.messages)
            else:
                messages.success(request, _("The proximity matrix is saved."))
                return redirect(_mapping_url(project, "proximity"))
    posted = request.POST if request.method == "POST" else None
    matrix = selectors.proximity_matrix(wp, unit_list)
    if posted:
        for _row, cells in matrix:
            for cell in cells:
                if cell.need is not None:
                    cell.need = posted.get(cell.key, cell.need)
    return _page(
        request, "space/proximity.html", project, MAPPING, matrix=matrix, units=unit_list,
        errors=errors, title=_("Proximity matrix"), levels=PROXIMITY_LEVELS, status=400 if errors else 200,
    )  # fmt: skip


PROXIMITY_LEVELS = [(0, "0"), (1, "1"), (2, "2"), (3, "3")]


# Occupancy studies ---------------------------------------------------------------------------------------------


@login_required
def study_edit(request, project_id, study_id=None):
    project = get_project_for(request.user, project_id, EDIT)
    _has_activity(project, "mapping")
    study = _study(project, study_id) if study_id else None
    form = StudyForm(request.POST or None, instance=study)
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            study = services.study_save(project=project, by=request.user, data=form.cleaned_data, study=study)
            messages.success(request, _("The study is saved."))
            return redirect(_study_url(study))
    title = (_("Change: %(row)s") % {"row": study}) if study else _("New occupancy study")
    back = _study_url(study) if study else _mapping_url(project, "studies")
    return _form_page(
        request, project, MAPPING, form=form, title=title, back=back, status=400 if form.errors else 200,
        intro=_("Rounds every hour over one or two normal weeks. Add the zones and rooms after saving."),
    )  # fmt: skip


@login_required
def study_delete(request, project_id, study_id):
    project = get_project_for(request.user, project_id, EDIT)
    study = _study(project, study_id)
    if request.method == "POST":
        services.study_delete(study=study, by=request.user)
        messages.success(request, _("“%(row)s” was removed.") % {"row": study})
        return redirect(_mapping_url(project, "studies"))
    return _confirm(
        request, project, MAPPING, title=_("Remove “%(row)s”?") % {"row": study},
        text=_("The study is removed with its zones and every observation. The mapping gets a new version."),
        back=_study_url(study),
    )  # fmt: skip


@login_required
def study_detail(request, project_id, study_id):
    project = get_project_for(request.user, project_id)
    study = _study(project, study_id)
    report = selectors.study_report(study, project=project)
    return _page(
        request, "space/study.html", project, MAPPING, study=study, report=report,
        chart=selectors.chart(report), can_edit=request.user.has_perm(EDIT, project),
    )  # fmt: skip


@login_required
def zone_edit(request, project_id, study_id, zone_id=None):
    project = get_project_for(request.user, project_id, EDIT)
    study = _study(project, study_id)
    zone = None
    if zone_id is not None:
        zone = StudyZone.objects.filter(pk=zone_id, study=study).first()
        if zone is None:
            raise Http404
    form = ZoneForm(request.POST or None, instance=zone, work_product=study.work_product)
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            services.zone_save(study=study, by=request.user, data=form.cleaned_data, zone=zone)
            messages.success(request, _("The zone is saved."))
            return redirect(_study_url(study, "zones"))
    title = (_("Change: %(row)s") % {"row": zone}) if zone else _("Add a zone or room")
    return _form_page(
        request, project, MAPPING, form=form, title=title, back=_study_url(study, "zones"),
        status=400 if form.errors else 200,
    )  # fmt: skip


@login_required
def zone_delete(request, project_id, study_id, zone_id):
    project = get_project_for(request.user, project_id, EDIT)
    study = _study(project, study_id)
    zone = StudyZone.objects.filter(pk=zone_id, study=study).first()
    if zone is None:
        raise Http404
    if request.method == "POST":
        services.zone_delete(zone=zone, by=request.user)
        messages.success(request, _("“%(row)s” was removed.") % {"row": zone})
        return redirect(_study_url(study, "zones"))
    return _confirm(
        request, project, MAPPING, title=_("Remove “%(row)s”?") % {"row": zone},
        text=_("The zone is removed with every observation recorded for it."), back=_study_url(study, "zones"),
    )  # fmt: skip


@login_required
def round_edit(request, project_id, study_id):
    """The grid: one round (a date and an hour), a row per zone."""
    project = get_project_for(request.user, project_id, EDIT)
    study = _study(project, study_id)
    zones = list(StudyZone.objects.filter(study=study).order_by("kind", "name"))
    if not zones:
        messages.info(request, _("Add the zones and rooms of the study first."))
        return redirect(_study_url(study, "zones"))
    days = services.study_days(study) or [study.starts_on]
    pick = RoundForm(request.POST or request.GET or {"date": days[0], "hour": study.first_hour})
    day, hour = (pick.cleaned_data["date"], pick.cleaned_data["hour"]) if pick.is_valid() else (None, None)
    grid = _round_grid(request, study, zones, day, hour)
    errors = []
    if request.method == "POST" and pick.is_valid() and grid.is_valid():
        counts = {f.cleaned_data["zone"]: {k: f.cleaned_data[k] for k in COUNTS} for f in grid}
        try:
            n = services.round_save(study=study, by=request.user, day=day, hour=hour, counts=counts)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("The round is saved (%(n)s zones).") % {"n": n})
            nxt = hour + 1 if hour < study.last_hour else study.first_hour
            return redirect(reverse("space:study_round", args=[project.pk, study.pk]) + f"?date={day}&hour={nxt}")
    return _page(
        request, "space/round.html", project, MAPPING, study=study, pick=pick, grid=grid, errors=errors,
        rows=list(zip(zones, grid.forms, strict=False)), title=_("Record a round"),
        status=400 if errors or pick.errors or grid.errors else 200,
    )  # fmt: skip


def _round_grid(request, study, zones, day, hour):
    """The round's formset: a form per zone, with what is recorded for the round as its initial counts."""
    existing = {o.zone_id: o for o in Observation.objects.filter(study=study, date=day, hour=hour)} if day else {}
    initial = [{"zone": z.pk, **{k: getattr(existing.get(z.pk), k, None) for k in COUNTS}} for z in zones]
    data = None
    if request.method == "POST":
        # A post without the grid (every field left out) records nothing for any zone, as an empty grid does.
        data = request.POST if "round-TOTAL_FORMS" in request.POST else {
            "round-TOTAL_FORMS": len(zones), "round-INITIAL_FORMS": len(zones),
            **{f"round-{i}-zone": z.pk for i, z in enumerate(zones)},
        }  # fmt: skip
    return RoundFormSet(data, initial=initial, prefix="round")


@login_required
def study_import(request, project_id, study_id):
    """Upload a file of observations; the worker imports it and this page follows its progress and outcome."""
    project = get_project_for(request.user, project_id, EDIT)
    study = _study(project, study_id)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            imports.observations_import_request(study=study, by=request.user, upload=form.cleaned_data["upload"])
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.info(request, _("The file is uploaded. It is checked in the background; the outcome shows here."))
            return redirect(reverse("space:study_import", args=[project.pk, study.pk]))
    latest = project_selectors.file_import_latest(project=project, kind=imports.KEY, target={"study_id": study.pk})
    import_status = None
    if latest is not None:
        import_status = project_selectors.file_import_status(
            file_import=latest, user=request.user, next_url=request.get_full_path()
        )
    return _page(
        request, "space/import.html", project, MAPPING, study=study, form=form, import_status=import_status,
        title=_("Import observations"), status=400 if form.errors else 200,
        zones=StudyZone.objects.filter(study=study).order_by("name"),
    )  # fmt: skip


@login_required
def study_template(request, project_id, study_id, fmt):
    project = get_project_for(request.user, project_id)
    study = _study(project, study_id)
    if fmt == "xlsx":
        content = imports.template_xlsx(study)
        ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    elif fmt == "csv":
        content = imports.template_csv(study)
        ctype = "text/csv; charset=utf-8"
    else:
        raise Http404
    response = HttpResponse(content, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="tilstedevaerelse-{study.pk}.{fmt}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# Plans ---------------------------------------------------------------------------------------------------------


def _area_url(project, anchor="plans"):
    return reverse("workproducts:detail", args=[project.pk, "area_programme"]) + f"#{anchor}"


@login_required
def plan_add(request, project_id):
    project = get_project_for(request.user, project_id, EDIT)
    _has_activity(project, "area_programme")
    form = PlanForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_add(
                project=project, by=request.user, kind=form.cleaned_data["kind"],
                description=form.cleaned_data["description"], upload=form.cleaned_data["upload"],
            )  # fmt: skip
        except ValidationError as exc:
            form_errors_from(exc, form)
            if "file" in getattr(exc, "error_dict", {}):
                form.add_error("upload", exc.error_dict["file"])
        else:
            messages.success(request, _("The plan is uploaded."))
            return redirect(_area_url(project))
    return _form_page(
        request, project, AREA_PROGRAMME, form=form, title=_("Upload a plan"), back=_area_url(project),
        status=400 if form.errors else 200, multipart=True,
        intro=_("The zone programme, a floor plan or a furnishing plan, with a description of what it shows."),
    )  # fmt: skip


def _plan(project, plan_id):
    plan = PlanFile.objects.filter(pk=plan_id, project=project).first()
    if plan is None:
        raise Http404
    return plan


@login_required
def plan_download(request, project_id, plan_id):
    project = get_project_for(request.user, project_id)
    plan = _plan(project, plan_id)
    return file_download(plan.file, plan.original_name, plan.content_type)


@login_required
def plan_remove(request, project_id, plan_id):
    project = get_project_for(request.user, project_id, EDIT)
    plan = _plan(project, plan_id)
    if request.method == "POST":
        services.plan_remove(plan=plan, by=request.user)
        messages.success(request, _("“%(row)s” was removed.") % {"row": plan})
        return redirect(_area_url(project))
    return _confirm(
        request, project, AREA_PROGRAMME, title=_("Remove “%(row)s”?") % {"row": plan},
        text=_("The plan is removed from the area programme. The project history keeps that it was there."),
        back=_area_url(project),
    )  # fmt: skip


# Room catalogue and area norms ---------------------------------------------------------------------------------


def _coordinator(request):
    if not request.user.has_perm("space.manage_room_catalogue"):
        raise PermissionDenied


@login_required
def room_catalogue(request):
    _coordinator(request)
    form = RoomTypeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            services.room_type_save(by=request.user, **form.cleaned_data)
            messages.success(request, _("The room type was added."))
            return redirect("space:room_catalogue")
    norms = {n.project_kind: n for n in AreaNorm.objects.all()}
    norm_rows = [(kind, label, norms.get(kind)) for kind, label in Project.Kind.choices]
    return render(
        request, "space/catalogue.html",
        {"form": form, "rooms": RoomType.objects.all(), "norms": norm_rows}, status=400 if form.errors else 200,
    )  # fmt: skip


@login_required
def room_type_edit(request, room_type_id):
    _coordinator(request)
    room = RoomType.objects.filter(pk=room_type_id).first()
    if room is None:
        raise Http404
    form = RoomTypeForm(request.POST or None, instance=room)
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            services.room_type_save(by=request.user, room_type=room, **form.cleaned_data)
            messages.success(request, _("The room type was saved."))
            return redirect("space:room_catalogue")
    return render(
        request, "space/catalogue_form.html",
        {"form": form, "title": _("Change: %(row)s") % {"row": room}}, status=400 if form.errors else 200,
    )  # fmt: skip


@login_required
def area_norm_edit(request, kind):
    _coordinator(request)
    if kind not in Project.Kind.values:
        raise Http404
    norm = AreaNorm.objects.filter(project_kind=kind).first()
    form = AreaNormForm(request.POST or None, instance=norm)
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            services.area_norm_save(by=request.user, project_kind=kind, **form.cleaned_data)
            messages.success(request, _("The area norm was saved."))
            return redirect("space:room_catalogue")
    title = _("Area norm: %(kind)s") % {"kind": Project.Kind(kind).label}
    return render(
        request, "space/catalogue_form.html", {"form": form, "title": title},
        status=400 if form.errors else 200,
    )  # fmt: skip
