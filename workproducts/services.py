"""Writes to work products. Every change goes through here: it checks who may write, validates the whole
object, recomputes the content's SHA-256 and raises the version when the content changed, and tells the
apps above (participation) through `work_product_changed`, all in one transaction."""

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phases.signals import work_product_changed
from projects.models import Project, User
from projects.permissions import project_roles
from projects.services import fields_assign, with_history_user

from . import selectors
from .models import Goals, OrderService, WorkProduct
from .registry import kinds

State = WorkProduct.State


def _require(by, perm, obj):
    if not by.has_perm(perm, obj):
        raise PermissionDenied


def _kind(key):
    if key not in kinds():
        raise ValidationError(_("Unknown kind of document."))
    return kinds()[key]


def _check_people(obj, fields, project_id):
    """People named in a document (responsible, say) must be members of the project."""
    for name in fields:
        f = obj._meta.get_field(name)
        if f.is_relation and f.related_model._meta.label == User._meta.label:
            person = getattr(obj, name)
            if person is not None and not project_roles(person, project_id):
                raise ValidationError({name: _("Choose a member of the project.")})


def workproduct_refresh(*, work_product: WorkProduct, by: User | None) -> WorkProduct:
    """Recompute the content hash; a changed content raises the version. Sent to the apps above either way,
    so that a participation step that includes the document is refreshed too."""
    digest = hashlib.sha256(selectors.content_hash_text(work_product).encode()).hexdigest()
    if digest != work_product.content_hash:
        if work_product.content_hash:
            work_product.version += 1
        work_product.content_hash = digest
        work_product.updated_at, work_product.updated_by = timezone.now(), by
        with_history_user(work_product, by).save()
    work_product_changed.send(sender=WorkProduct, work_product=work_product, by=by)
    return work_product


@transaction.atomic
def workproduct_start(*, project: Project, kind: str, by: User) -> WorkProduct:
    """The document of `kind` for the project, created empty on first use (on the activity that produces it)."""
    from phases.models import Activity

    _require(by, "workproducts.edit_work_product", project)
    spec = _kind(kind)
    existing = WorkProduct.objects.filter(project=project, kind=kind).first()
    if existing is not None:
        return existing
    activity = Activity.objects.filter(project=project, work_product=kind).order_by("phase__order", "order").first()
    if activity is None:
        raise ValidationError(_("The project's process has no activity that produces this document."))
    Project.objects.select_for_update(no_key=True).get(pk=project.pk)
    wp = with_history_user(WorkProduct(project=project, activity=activity, kind=kind, updated_by=by), by)
    wp.save()
    with_history_user(spec.content_model(work_product=wp), by).save()
    return workproduct_refresh(work_product=wp, by=by)


def _locked(work_product):
    return WorkProduct.objects.select_for_update(no_key=True).select_related("project").get(pk=work_product.pk)


@transaction.atomic
def workproduct_save(*, work_product: WorkProduct, by: User, data: dict) -> WorkProduct:
    """Change the main fields of a document. `data` holds the kind's fields (others are refused)."""
    _require(by, "workproducts.edit_work_product", work_product.project)
    wp = _locked(work_product)
    kind = _kind(wp.kind)
    main = kind.content_model.objects.get(work_product=wp)
    many = {n: v for n, v in data.items() if n in kind.fields and main._meta.get_field(n).many_to_many}
    fields_assign(main, {n: v for n, v in data.items() if n not in many}, kind.fields)
    main.full_clean(exclude=["work_product"])
    _check_people(main, kind.fields, wp.project_id)
    if "order_services" in many and any(not s.active for s in many["order_services"]):
        raise ValidationError({"order_services": _("Only services EBE offers can be ordered.")})
    with_history_user(main, by).save()
    for name, value in many.items():
        getattr(main, name).set(value)
    return workproduct_refresh(work_product=wp, by=by)


@transaction.atomic
def workproduct_row_save(*, work_product: WorkProduct, section: str, by: User, data: dict, row=None):
    """Add a row to one of the document's tables, or change one (`row`)."""
    _require(by, "workproducts.edit_work_product", work_product.project)
    wp = _locked(work_product)
    spec = _kind(wp.kind).section(section)
    if spec is None:
        raise ValidationError(_("Unknown table."))
    if row is None:
        row = spec.model(project=wp.project, work_product=wp)
    elif row.work_product_id != wp.pk:
        raise ValidationError(_("The row belongs to another document."))
    fields_assign(row, data, spec.fields)
    row.full_clean(exclude=["project", "work_product"])
    _check_people(row, spec.fields, wp.project_id)
    if spec.clean:
        spec.clean(row, wp.project)
    with_history_user(row, by).save()
    workproduct_refresh(work_product=wp, by=by)
    return row


@transaction.atomic
def workproduct_part_remove(*, part, by: User) -> WorkProduct:
    """Delete a part of a work product that points to it (`part.work_product`: a row, an attached file, the
    mapping's study, the area programme's drawing): its editor only, the work product locked while its content
    is worked out again."""
    wp = part.work_product
    _require(by, "workproducts.edit_work_product", wp.project)
    wp = _locked(wp)
    with_history_user(part, by).delete()
    return workproduct_refresh(work_product=wp, by=by)


@transaction.atomic
def workproduct_row_delete(*, row, by: User) -> WorkProduct:
    return workproduct_part_remove(part=row, by=by)


@transaction.atomic
def workproduct_file_add(*, work_product: WorkProduct, by: User, upload):
    """Attach a file to a document (a drawing, the full report); its name and SHA-256 join the content."""
    from projects.uploads import attachment_store

    from .models import WorkProductFile

    _require(by, "workproducts.edit_work_product", work_product.project)
    wp = _locked(work_product)
    stored = attachment_store(
        with_history_user(WorkProductFile(project=wp.project, work_product=wp), by), upload=upload, by=by
    )
    workproduct_refresh(work_product=wp, by=by)
    return stored


@transaction.atomic
def workproduct_file_remove(*, attached, by: User) -> WorkProduct:
    """Take a file off a document. The history keeps who added and removed it."""
    return workproduct_part_remove(part=attached, by=by)


TRANSITIONS = {
    State.DRAFT: {State.CONSULTATION, State.ADOPTED},
    State.CONSULTATION: {State.DRAFT, State.ADOPTED},
    State.ADOPTED: {State.DRAFT},
}


@transaction.atomic
def workproduct_set_state(*, work_product: WorkProduct, by: User, state: str) -> WorkProduct:
    """Send a document for consultation, adopt it, or take it back to draft (owner and manager)."""
    _require(by, "workproducts.edit_work_product", work_product.project)
    wp = _locked(work_product)
    if state not in State.values:
        raise ValidationError(_("Unknown state."))
    if state not in TRANSITIONS[wp.state]:
        raise ValidationError(
            _("A document that is “%(now)s” cannot become “%(new)s”.")
            % {"now": wp.get_state_display(), "new": State(state).label}
        )
    if state != State.DRAFT and not selectors.workproduct_fields(wp):
        raise ValidationError(_("The document is empty. Fill it in first."))
    wp.state, wp.state_changed_at = state, timezone.now()
    with_history_user(wp, by).save()
    work_product_changed.send(sender=WorkProduct, work_product=wp, by=by)
    return wp


# The order form to EBE -----------------------------------------------------------------------------------------


@transaction.atomic
def order_send(*, work_product: WorkProduct, by: User) -> Goals:
    """The owner sends the order form to EBE; it can then be accepted by a coordinator."""
    _require(by, "workproducts.edit_work_product", work_product.project)
    wp = _locked(work_product)
    goals = Goals.objects.select_for_update().get(work_product=wp)
    if goals.order_state == Goals.OrderState.ACCEPTED:
        raise ValidationError(_("EBE has accepted the order already."))
    if not goals.order_services.exists():
        raise ValidationError({"order_services": _("Choose at least one service to order from EBE.")})
    goals.order_state, goals.order_sent_at = Goals.OrderState.SENT, timezone.now()
    with_history_user(goals, by).save()
    return goals


@transaction.atomic
def order_accept(*, work_product: WorkProduct, by: User, accepted_on) -> Goals:
    """A coordinator accepts a sent order form, with the date of the agreement."""
    _require(by, "workproducts.accept_order", work_product.project)
    wp = _locked(work_product)
    goals = Goals.objects.select_for_update().get(work_product=wp)
    if goals.order_state != Goals.OrderState.SENT:
        raise ValidationError(_("Only a sent order form can be accepted."))
    if accepted_on is None:
        raise ValidationError({"accepted_on": _("Give the date EBE accepted the order.")})
    if accepted_on > timezone.localdate():
        raise ValidationError({"accepted_on": _("The date cannot be in the future.")})
    if accepted_on < goals.order_sent_at.date():
        raise ValidationError({"accepted_on": _("The date cannot be before the order was sent.")})
    goals.order_state, goals.order_accepted_on, goals.order_accepted_by = Goals.OrderState.ACCEPTED, accepted_on, by
    with_history_user(goals, by).save()
    return goals


@transaction.atomic
def order_service_save(*, by: User, service: OrderService | None = None, **fields) -> OrderService:
    """Coordinators keep the list of services a project can order from EBE."""
    if not by.has_perm("workproducts.manage_order_services"):
        raise PermissionDenied
    service = fields_assign(service or OrderService(), fields)
    service.full_clean()
    with_history_user(service, by).save()
    return service
