"""Writes to projects and memberships. Each function validates, runs in one transaction and returns."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, models, transaction
from django.db.models import Exists, Max, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import documents, extensions, imports, outbox, reminders
from .extensions import project_created, project_updated
from .models import (
    COORDINATOR_GROUP,
    EMPLOYER_ROLES,
    HR_GROUP,
    PARTY_ROLES,
    CalendarFeed,
    Deputy,
    EmailOptOut,
    FileImport,
    GeneratedDocument,
    Membership,
    Notification,
    PasswordResetRequest,
    PersonalDataExport,
    Project,
    ProjectUnit,
    ReminderEmail,
    Role,
    SsoIdentity,
    User,
)
from .permissions import forget_project_roles, is_coordinator

# The actual move-in is not among them: it is recorded by the evaluation app's service, which checks it and
# sets the dates that follow from it.
PROJECT_FIELDS = (
    "name",
    "case_number",
    "kind",
    "address",
    "building",
    "headcount",
    "start_date",
    "planned_move_in",
    "status",
    "description",
)


def with_history_user(obj, by):
    """Mark who makes the next save or delete of `obj`, for its simple-history record."""
    obj._history_user = by
    return obj


def fields_assign(obj, data: dict, allowed=None, *, strip: bool = True):
    """Set `data`'s values on `obj`, text stripped of surrounding whitespace (unless `strip=False`): how a service
    takes the fields its form sent. A name outside `allowed` raises TypeError before anything is set: it is the
    caller's mistake (a form sends only its own fields), not the user's."""
    if allowed is not None and (unknown := set(data) - set(allowed)):
        raise TypeError(f"Unknown fields for {type(obj).__name__}: {sorted(unknown)}")
    for name, value in data.items():
        setattr(obj, name, value.strip() if strip and isinstance(value, str) else value)
    return obj


def _set_units(*, project, units, by):
    wanted = {u.pk: u for u in units}
    for link in project.project_units.all():
        if link.unit_id not in wanted:
            with_history_user(link, by).delete()
        else:
            wanted.pop(link.unit_id)
    for unit in wanted.values():
        with_history_user(ProjectUnit(project=project, unit=unit), by).save()


def _save_unique(project, by):
    """Save; when another request took the same case number between the check and the save (two people
    creating at once), answer with the form error instead of a database error."""
    try:
        with transaction.atomic():
            with_history_user(project, by).save()
    except IntegrityError:
        if (
            project.case_number
            and Project.objects.filter(case_number=project.case_number).exclude(pk=project.pk).exists()
        ):
            raise ValidationError({"case_number": _("Another project already has this case number.")}) from None
        raise


@transaction.atomic
def project_create(*, by: User, owner: User | None = None, units=(), options=None, **fields) -> Project:
    """Create a project. The creator becomes its owner unless a coordinator names another owner.

    `options` carries the values of fields other apps added to the create form (the process template,
    say); their `project_created` receivers act on them in this same transaction.
    """
    if owner is not None and owner != by and not is_coordinator(by):
        raise ValidationError({"owner": _("Only a coordinator can name another person as owner.")})
    unknown = set(fields) - set(PROJECT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown project fields: {sorted(unknown)}")
    project = Project(created_by=by, **fields)
    project.full_clean()
    _save_unique(project, by)
    _set_units(project=project, units=units, by=by)
    membership_add(project=project, user=owner or by, role=Role.OWNER, by=by, _check_rights=False)
    project_created.send(sender=Project, project=project, by=by, options=options or {})
    return project


@transaction.atomic
def project_update(*, project: Project, by: User, units=None, **fields) -> Project:
    before = {n: getattr(project, n) for n, v in fields.items() if n in PROJECT_FIELDS and getattr(project, n) != v}
    fields_assign(project, fields, PROJECT_FIELDS, strip=False)
    project.full_clean()
    _save_unique(project, by)
    if units is not None:
        _set_units(project=project, units=units, by=by)
    if before:
        project_updated.send(sender=Project, project=project, by=by, before=before)
    return project


def _check_manage_rights(*, project, by):
    if not by.has_perm("projects.manage_members", project):
        raise PermissionDenied(_("Only the project owner or manager can change who is in the project."))


def _check_owner_rights(*, project, by, role):
    if role == Role.OWNER and not by.has_perm("projects.transfer_ownership", project):
        raise ValidationError(_("Only a project owner can give or take away the owner role."))


def _check_sides(*, project, user, role, exclude=None):
    """The owner and the manager speak for the employer; the representatives, the occupational health service
    and AMU for the parties the law gives a say. One person never holds both sides in one project, or the
    employer could sign for the representatives."""
    if role not in EMPLOYER_ROLES | PARTY_ROLES:
        return
    held = Membership.objects.filter(project=project, user=user)
    if exclude is not None:
        held = held.exclude(pk=exclude.pk)
    other_side = PARTY_ROLES if role in EMPLOYER_ROLES else EMPLOYER_ROLES
    clash = held.filter(role__in=other_side).values_list("role", flat=True).first()
    if clash is None and role in EMPLOYER_ROLES:
        # a deputy for a representative, now or later, acts on the parties' side too
        deputyship = Deputy.objects.filter(project=project, deputy=user, ends__gte=timezone.localdate()).first()
        if deputyship is not None:
            message = _(
                "%(person)s is deputy for %(principal)s (%(held)s) until %(ends)s and cannot also be %(role)s: a "
                "representative's deputy cannot act for the employer's side."
            )
            raise ValidationError(
                {"role": message % {"person": user, "principal": deputyship.principal,
                                    "held": Role(deputyship.role).label.lower(),
                                    "ends": deputyship.ends.strftime("%d.%m.%Y"), "role": Role(role).label.lower()}}
            )  # fmt: skip
    if clash is None:
        return
    if role in PARTY_ROLES:
        message = _(
            "%(person)s is %(held)s in this project and cannot also be %(role)s: the employer's side cannot "
            "sign for the representatives or the occupational health service."
        )
    else:
        message = _(
            "%(person)s is %(held)s in this project and cannot also be %(role)s: a representative or the "
            "occupational health service cannot act for the employer's side."
        )
    raise ValidationError(
        {"role": message % {"person": user, "held": Role(clash).label.lower(), "role": Role(role).label.lower()}}
    )


def _lock(project):
    # Serialise membership changes per project so two removals cannot leave it without an owner.
    return Project.objects.select_for_update(no_key=True).get(pk=project.pk)


@transaction.atomic
def membership_add(*, project: Project, user: User, role: str, by: User, _check_rights=True) -> Membership:
    _lock(project)
    if _check_rights:
        _check_manage_rights(project=project, by=by)
        _check_owner_rights(project=project, by=by, role=role)
    if Membership.objects.filter(project=project, user=user, role=role).exists():
        raise ValidationError(
            _("%(person)s already has the role %(role)s in this project.") % {"person": user, "role": Role(role).label}
        )
    _check_sides(project=project, user=user, role=role)
    membership = Membership(project=project, user=user, role=role)
    membership.full_clean(validate_unique=False)
    with_history_user(membership, by).save()
    forget_project_roles(user, by)
    extensions.rollups_refresh([project.pk])  # a sign-off counts only while its signer holds the role
    return membership


def _owners_left(project, without: Membership) -> int:
    return project.memberships.filter(role=Role.OWNER).exclude(pk=without.pk).count()


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str, by: User) -> Membership:
    project = _lock(membership.project)
    if role == membership.role:
        return membership
    _check_manage_rights(project=project, by=by)
    _check_owner_rights(project=project, by=by, role=membership.role)
    _check_owner_rights(project=project, by=by, role=role)
    if membership.role == Role.OWNER and _owners_left(project, membership) == 0:
        raise ValidationError(_("The project must have at least one owner. Give someone else the owner role first."))
    if Membership.objects.filter(project=project, user=membership.user_id, role=role).exists():
        raise ValidationError(
            _("%(person)s already has the role %(role)s in this project.")
            % {"person": membership.user, "role": Role(role).label}
        )
    _check_sides(project=project, user=membership.user, role=role, exclude=membership)
    membership.role = role
    with_history_user(membership, by).save()
    forget_project_roles(membership.user, by)
    extensions.rollups_refresh([project.pk])
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, by: User) -> None:
    project = _lock(membership.project)
    _check_manage_rights(project=project, by=by)
    _check_owner_rights(project=project, by=by, role=membership.role)
    if membership.role == Role.OWNER and _owners_left(project, membership) == 0:
        raise ValidationError(_("The last project owner cannot be removed. Give someone else the owner role first."))
    with_history_user(membership, by).delete()
    forget_project_roles(membership.user, by)
    extensions.rollups_refresh([project.pk])


# Deputies (stedfortreder) -------------------------------------------------------------------------------------


@transaction.atomic
def deputy_set(*, project: Project, principal: User, role: str, deputy: User, starts, ends, by: User) -> Deputy:
    """Give a representative a deputy for a period (both days included): set by the representative or a
    coordinator. During it the deputy opens the project and signs as the representative would. The employer's
    side (owner, manager) is never a deputy."""
    _lock(project)
    if not (by.pk == principal.pk or is_coordinator(by)):
        raise PermissionDenied(_("Only the representative or a coordinator can name a deputy."))
    if role not in PARTY_ROLES:
        raise ValidationError({"role": _("Only a representative's role can have a deputy.")})
    if not Membership.objects.filter(project=project, user=principal, role=role).exists():
        raise ValidationError({"role": _("%(person)s is not %(role)s in this project.")
                               % {"person": principal, "role": Role(role).label.lower()}})  # fmt: skip
    errors = {}
    if deputy.pk == principal.pk:
        errors["deputy"] = _("A person cannot be their own deputy.")
    elif not deputy.is_active:
        errors["deputy"] = _("%(person)s has no active account.") % {"person": deputy}
    else:
        clash = (
            Membership.objects.filter(project=project, user=deputy, role__in=EMPLOYER_ROLES)
            .values_list("role", flat=True)
            .first()
        )
        if clash is not None:
            errors["deputy"] = _(
                "%(person)s is %(held)s in this project: the employer's side cannot be a representative's deputy."
            ) % {"person": deputy, "held": Role(clash).label.lower()}
    if starts is None:
        errors["starts"] = _("Enter the first day.")
    if ends is None:
        errors["ends"] = _("Enter the last day.")
    if starts and ends and ends < starts:
        errors["ends"] = _("The last day cannot be before the first.")
    if starts and ends and not errors:
        overlap = Deputy.objects.filter(
            project=project, principal=principal, role=role, starts__lte=ends, ends__gte=starts
        ).first()
        if overlap is not None:
            errors["starts"] = _("%(person)s is deputy from %(starts)s to %(ends)s already; the periods overlap.") % {
                "person": overlap.deputy, "starts": overlap.starts.strftime("%d.%m.%Y"),
                "ends": overlap.ends.strftime("%d.%m.%Y"),
            }  # fmt: skip
    if errors:
        raise ValidationError(errors)
    deputyship = Deputy(
        project=project, principal=principal, role=role, deputy=deputy, starts=starts, ends=ends, created_by=by
    )
    deputyship.full_clean()
    with_history_user(deputyship, by).save()
    forget_project_roles(deputy, by)
    return deputyship


@transaction.atomic
def deputy_end(*, deputyship: Deputy, by: User) -> Deputy:
    """End a deputyship now: its last day becomes yesterday (one that has not begun before today is removed).
    Sign-offs the deputy gave stay and count."""
    _lock(deputyship.project)
    if not (by.pk == deputyship.principal_id or is_coordinator(by)):
        raise PermissionDenied(_("Only the representative or a coordinator can end a deputyship."))
    deputyship = Deputy.objects.select_for_update().get(pk=deputyship.pk)
    today = timezone.localdate()
    if deputyship.starts >= today:
        with_history_user(deputyship, by).delete()  # not begun (or begun today): gone; sign-offs name the person
    elif deputyship.ends >= today:
        deputyship.ends = today - timedelta(days=1)
        with_history_user(deputyship, by).save()
    forget_project_roles(deputyship.deputy, by)
    return deputyship


@transaction.atomic
def user_invite(*, email: str, full_name: str, by: User, project: Project | None = None) -> User:
    """Create an account for a new person and e-mail them how to log in (a link from SITE_URL)."""
    email = User.objects.normalize_email(email).lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("A person with this e-mail address already exists. Add them instead.")})
    user = User(email=email, full_name=full_name)
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    with_history_user(user, by).save()
    project_id = project.pk if project is not None else None
    outbox.enqueue(
        "invitations.email",
        key=f"invitation:{user.pk}",
        payload={"user_id": user.pk, "by_id": by.pk, "project_id": project_id},
    )
    return user


@transaction.atomic
def membership_invite(*, project: Project, email: str, full_name: str, role: str, by: User) -> Membership:
    """Invite a new person by e-mail and give them a role in the project, or neither."""
    user = user_invite(email=email, full_name=full_name, by=by, project=project)
    return membership_add(project=project, user=user, role=role, by=by)


@transaction.atomic
def user_update_settings(*, user: User, full_name: str, phone: str, preferred_language: str) -> User:
    user.full_name = full_name
    user.phone = phone
    user.preferred_language = preferred_language
    user.full_clean(exclude=["password"])
    with_history_user(user, user).save()
    return user


def document_request(*, project: Project, kind: str, by: User, check_perm: bool = True) -> GeneratedDocument:
    """Store a new pending version of a generated document and its job in the outbox, in one transaction; the
    worker renders it (woken after commit, or by the outbox's sweep when the broker was away). `check_perm=False`
    for a version the system asks for on an event the person's own permission already allowed (a phase
    completed by a coordinator's override asks for the protocol for the record).

    A document is asked for only of something that exists (the kind's `exists(project)`, else ValidationError
    and no row). While a version of the kind is waiting or being made, asking again gives that version: at most
    one is in progress per project and kind (a partial unique constraint, so two requests at the same moment
    cannot both make one). The version number comes from the unique (project, kind, version) constraint.
    Nothing here locks the project row, and nothing renders here.
    """
    found = documents.kind(kind)  # unknown kinds are a programming error
    if check_perm and not by.has_perm(found.request_perm, project):
        raise PermissionDenied
    if found.exists is not None and not found.exists(project):
        raise ValidationError(_("There is nothing to generate %(what)s from yet.") % {"what": found.label})
    for _attempt in range(5):
        pending = _document_in_progress(project, kind)
        if pending is not None:
            return pending
        version = (
            GeneratedDocument.objects.filter(project=project, kind=kind).aggregate(v=Max("version"))["v"] or 0
        ) + 1
        try:
            with transaction.atomic():
                doc = with_history_user(
                    GeneratedDocument(project=project, kind=kind, version=version, requested_by=by), by
                )
                doc.save()
                outbox.enqueue("documents.render", key=f"document:{doc.pk}", payload={"document_id": doc.pk})
        except IntegrityError:
            continue  # another request took this number, or made the version in progress: look again
        return doc
    raise ValidationError(_("Too many documents are being generated at once. Try again."))


def _document_in_progress(project, kind) -> GeneratedDocument | None:
    waiting = (GeneratedDocument.Status.PENDING, GeneratedDocument.Status.RUNNING)
    return GeneratedDocument.objects.filter(project=project, kind=kind, status__in=waiting).first()


def document_render(*, document_id: int) -> GeneratedDocument | None:
    """Render a requested document (the outbox's job calls this, holding the job's lease, so one worker at a
    time). Running it again for a done document does nothing; a render that failed, or whose worker died,
    is rendered again."""
    doc = GeneratedDocument.objects.select_related("project", "requested_by").filter(pk=document_id).first()
    if doc is None or doc.status == GeneratedDocument.Status.DONE:
        return doc
    GeneratedDocument.objects.filter(pk=doc.pk).update(status=GeneratedDocument.Status.RUNNING, error="")
    try:
        pdf = documents.kind(doc.kind).render(doc)
    except Exception as exc:
        # A template or data error: trying again gives the same error, so the job gives up at once.
        GeneratedDocument.objects.filter(pk=doc.pk).update(
            status=GeneratedDocument.Status.FAILED, error=str(exc)[:2000]
        )
        raise outbox.GiveUp(str(exc)) from exc
    with transaction.atomic():
        doc.sha256 = hashlib.sha256(pdf).hexdigest()
        doc.size = len(pdf)
        doc.pages = getattr(pdf, "pages", None)
        doc.generated_at = timezone.now()
        name = f"{documents.kind(doc.kind).filename}-{doc.project_id}-v{doc.version}.pdf"
        doc.file.save(name, ContentFile(pdf), save=False)
        doc.status = GeneratedDocument.Status.DONE
        with_history_user(doc, doc.requested_by).save()
        for fn in extensions.get("document_rendered"):  # in this transaction: what waits for the file
            fn(doc)
    return doc


@transaction.atomic
def document_retry(*, document: GeneratedDocument, by: User) -> GeneratedDocument:
    """Try a late or failed version again (the same version: its number stays, nothing is rendered twice)."""
    document = GeneratedDocument.objects.select_for_update(no_key=True).select_related("project").get(pk=document.pk)
    if not by.has_perm(documents.kind(document.kind).request_perm, document.project):
        raise PermissionDenied
    if document.status == GeneratedDocument.Status.DONE:
        raise ValidationError(_("This version is ready; there is nothing to try again."))
    if document.status == GeneratedDocument.Status.FAILED:
        other = _document_in_progress(document.project, document.kind)
        if other is not None:
            message = _("Version %(v)s is being generated now; wait for it, or try this one again afterwards.")
            raise ValidationError(message % {"v": other.version})
        document.status = GeneratedDocument.Status.PENDING
        document.error = ""
        with_history_user(document, by).save(update_fields=["status", "error"])
    if outbox.retry(f"document:{document.pk}") is None:  # asked for before the outbox existed
        outbox.enqueue("documents.render", key=f"document:{document.pk}", payload={"document_id": document.pk})
    return document


# Imports in the worker (projects/imports.py) ---------------------------------------------------------------


@transaction.atomic
def file_import_request(*, project: Project, kind: str, target: dict, upload, by: User) -> FileImport:
    """Store an uploaded file (the default storage) and the job that imports it (the outbox), in one
    transaction. Its type and size are checked at once (ValidationError on `upload`); the rest by the worker.
    The caller makes sure `target` belongs to `project`."""
    importer = imports.importer(kind)
    if not by.has_perm(importer.perm, project):
        raise PermissionDenied
    imports.check_upload(upload, importer.limits)
    name = " ".join(str(upload.name).replace("\\", "/").rsplit("/", 1)[-1].split())[:255] or "import"
    file_import = FileImport(
        project=project, kind=kind, target=target, name=name, size=upload.size, requested_by=by
    )  # fmt: skip
    file_import.file.save(name, upload, save=False)
    file_import.save()
    outbox.enqueue("imports.run", key=f"import:{file_import.pk}", payload={"import_id": file_import.pk})
    return file_import


def file_import_run(*, import_id: int) -> FileImport | None:
    """Run an import (the outbox's job calls this, holding the job's lease): read and check the whole file with
    its progress stored as it goes, then write every row and the outcome in one transaction, or none and every
    problem. A run of an import that has its outcome does nothing."""
    final = (FileImport.Status.DONE, FileImport.Status.REFUSED)
    file_import = FileImport.objects.select_related("project", "requested_by").filter(pk=import_id).first()
    if file_import is None or file_import.status in final:
        return file_import
    rows = FileImport.objects.filter(pk=import_id)
    rows.update(status=FileImport.Status.RUNNING, rows_read=0)
    with translation.override(file_import.requested_by.preferred_language or settings.LANGUAGE_CODE):
        _file_import_check_and_write(file_import, rows)  # the problems in the language of who uploaded the file
    file_import.refresh_from_db()
    if file_import.status in final:
        _file_import_forget_file(file_import)
    return file_import


def _file_import_check_and_write(file_import, rows):
    final = (FileImport.Status.DONE, FileImport.Status.REFUSED)
    try:
        with file_import.file.open("rb") as file:
            prepared = imports.check(
                file_import,
                file,
                on_total=lambda total: rows.update(rows_total=total),
                on_progress=lambda row: rows.update(rows_read=row),
            )
        with transaction.atomic():
            if rows.select_for_update().filter(status__in=final).exists():
                return  # another run got there first
            written = imports.write(file_import, prepared)
            rows.update(
                status=FileImport.Status.DONE, rows_written=written,
                problems=[], problem_count=0, finished_at=timezone.now(),
            )  # fmt: skip
    except imports.ImportFailed as exc:
        rows.update(
            status=FileImport.Status.REFUSED, problems=[p.as_dict() for p in exc.problems.shown],
            problem_count=exc.problems.count, finished_at=timezone.now(),
        )  # fmt: skip


def _file_import_forget_file(file_import):
    """An import with its outcome keeps no file: it is deleted from the storage (its name stays on the row)."""
    if file_import.file:
        file_import.file.delete(save=False)
        FileImport.objects.filter(pk=file_import.pk).update(file="")


@transaction.atomic
def file_import_retry(*, file_import: FileImport, by: User) -> FileImport:
    """Try a late or failed import again (its file is kept until it has an outcome)."""
    file_import = FileImport.objects.select_for_update().select_related("project").get(pk=file_import.pk)
    if not by.has_perm(imports.importer(file_import.kind).perm, file_import.project):
        raise PermissionDenied
    if not (file_import.in_progress or file_import.status == FileImport.Status.FAILED) or not file_import.file:
        raise ValidationError(_("This import has its outcome; upload the file again to import it again."))
    if file_import.status == FileImport.Status.FAILED:
        file_import.status = FileImport.Status.PENDING
        file_import.save(update_fields=["status"])
    outbox.retry(f"import:{file_import.pk}")
    return file_import


# Global roles a single sign-on group claim can give: coordinator and HR are groups, admin is staff.
SSO_ROLES = ("coordinator", "hr", "admin")


@dataclass(frozen=True)
class SsoLogin:
    """What a verified single sign-on token says about the person (projects.oidc builds it)."""

    issuer: str
    subject: str
    email: str = ""  # normalised, "" when the token has none
    email_vouched: bool = False  # the provider vouches for the address (a verified-e-mail claim or an own domain)
    full_name: str = ""  # "" when the provider sent no name
    roles: set[str] | None = None  # global roles from the group claim (SSO_ROLES), None: leave them as they are
    admin_group_configured: bool = False  # superuser status follows `roles` only when an admin group is named


def _sso_refused(message):
    return ValidationError(message, code="sso_refused")


@transaction.atomic
def user_sso_sync(*, login: SsoLogin, create: bool) -> User:
    """The person who logged in with single sign-on: found by the token's issuer and subject once linked; linked
    the first time to an existing account by e-mail only when the provider vouches for the address and the
    account is not an administrator's; created only when `create` (OIDC_CREATE_USER) is on. Name and e-mail
    change only when the provider sends them (the e-mail only when vouched for and free); global roles follow
    the group claim when one is configured, and superuser status only through an explicitly named admin group.
    A person created here has no usable password. Refusals are ValidationErrors with a message for the person.
    """
    if not login.issuer or not login.subject:
        raise _sso_refused(
            _("Single sign-on did not succeed. Try again, or contact the service desk if it keeps failing.")
        )
    email = User.objects.normalize_email(login.email or "").strip().lower()
    if email and "@" not in email:
        email = ""
    identity = (
        SsoIdentity.objects.select_for_update()
        .select_related("user")
        .filter(issuer=login.issuer, subject=login.subject)
        .first()
    )
    if identity is not None:
        user = _sso_linked_user(identity, email, login)
    else:
        user = User.objects.select_for_update().filter(email__iexact=email).first() if email else None
        if user is not None:
            _sso_check_link_by_email(user, login)
        else:
            user = _sso_new_user(email, login, create)
    name = (login.full_name or "").strip()[:150]
    if name:
        user.full_name = name
    if login.roles is not None and login.admin_group_configured:
        user.is_staff = user.is_superuser = "admin" in login.roles
    user.full_clean(exclude=["password"])
    with_history_user(user, user if user.pk else None).save()
    if identity is None:
        SsoIdentity.objects.create(user=user, issuer=login.issuer, subject=login.subject)
    if login.roles is not None:
        _sso_groups(user, login.roles)
    return user


def _sso_inactive():
    return _sso_refused(_("This account is not active. Ask the project owner or an administrator."))


def _sso_linked_user(identity, email, login) -> User:
    """The account linked to the token's issuer and subject; its e-mail follows a vouched-for, free address."""
    user = User.objects.select_for_update().get(pk=identity.user_id)
    if not user.is_active:
        raise _sso_inactive()
    taken = User.objects.filter(email__iexact=email).exclude(pk=user.pk)
    if email and login.email_vouched and email != user.email and not taken.exists():
        user.email = email
    return user


def _sso_check_link_by_email(user, login) -> None:
    """An existing account is linked by its e-mail only when the provider vouches for the address, and never an
    administrator's or one linked to this issuer already."""
    if not user.is_active:
        raise _sso_inactive()
    if not login.email_vouched:
        raise _sso_refused(
            _(
                "Your account could not be linked to the log-in service, because the service did not confirm "
                "your e-mail address. Contact the service desk."
            )
        )
    if user.is_superuser or user.is_staff or user.sso_identities.filter(issuer=login.issuer).exists():
        raise _sso_refused(
            _("This account cannot be linked to single sign-on by its e-mail address. Contact the service desk.")
        )


def _sso_new_user(email, login, create) -> User:
    """A new account (not saved yet), when creation is on and the provider vouches for the address."""
    if not create:
        raise _sso_refused(
            _("You have no account in Prosessguiden yet. Ask a project owner or an administrator to invite you.")
        )
    if not email:
        raise _sso_refused(_("The log-in service sent no e-mail address."))
    if not login.email_vouched:
        raise _sso_refused(
            _(
                "An account cannot be made for you, because the log-in service did not confirm your e-mail "
                "address. Contact the service desk."
            )
        )
    user = User(email=email, full_name=email.split("@")[0])
    user.set_unusable_password()
    return user


def _sso_groups(user, roles) -> None:
    """The coordinator and HR groups follow the group claim."""
    from django.contrib.auth.models import Group

    for group_name in (COORDINATOR_GROUP, HR_GROUP):
        group, _created = Group.objects.get_or_create(name=group_name)
        if group_name in roles:
            user.groups.add(group)
        else:
            user.groups.remove(group)


# Password reset: limited per e-mail address and per client address, the e-mail sent by the worker ------------


def password_reset_request(*, email: str, ip_address: str | None, now: datetime | None = None) -> bool:
    """Someone asked for a new password for `email` from `ip_address` (the client behind the proxies).

    Refused (ValidationError, code "throttled") after PASSWORD_RESET_ADDRESS_LIMIT requests from the address in
    an hour, whatever addresses were typed. Otherwise recorded, and an e-mail is queued in the outbox (sent by
    the worker, `password_reset_send`) when an active account with a password has this address and it got
    fewer than PASSWORD_RESET_EMAIL_LIMIT e-mails in the hour; the person sees the same page either way, so
    the page does not tell whether an account exists. Requests are kept for a day. Returns whether an e-mail
    was queued.
    """
    from datetime import timedelta

    from . import outbox

    now = now or timezone.now()
    email = User.objects.normalize_email(email or "").strip().lower()
    since = now - timedelta(hours=1)
    with transaction.atomic():
        PasswordResetRequest.objects.filter(created_at__lt=now - timedelta(days=1)).delete()
        if ip_address:
            from_address = PasswordResetRequest.objects.filter(ip_address=ip_address, created_at__gte=since)
            if from_address.count() >= settings.PASSWORD_RESET_ADDRESS_LIMIT:
                raise ValidationError(
                    _("Too many requests for a new password from your address. Try again in an hour."),
                    code="throttled",
                )
        user = User.objects.select_for_update().filter(email__iexact=email, is_active=True).first() if email else None
        send = (
            user is not None
            and settings.LOCAL_LOGIN_ENABLED
            and user.has_usable_password()
            and PasswordResetRequest.objects.filter(email=email, sent=True, created_at__gte=since).count()
            < settings.PASSWORD_RESET_EMAIL_LIMIT
        )
        row = PasswordResetRequest.objects.create(email=email, ip_address=ip_address, sent=send, created_at=now)
        if send:
            outbox.enqueue("auth.password_reset", key=f"password-reset:{row.pk}", payload={"user_id": user.pk})
    return send


def password_reset_send(*, user_id: int) -> bool:
    """E-mail a link for choosing a new password (the worker runs this for an "auth.password_reset" job). The
    token is made here, never stored in the job; the link starts with SITE_URL. Nothing is sent to an account
    that was deactivated or lost its password meanwhile."""
    from django.contrib.auth.tokens import default_token_generator
    from django.core.mail import send_mail
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.has_usable_password() or not settings.LOCAL_LOGIN_ENABLED:
        return False
    context = {
        "email": user.email,
        "user": user,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
        "site_url": settings.SITE_URL,
    }
    with translation.override(user.preferred_language):
        subject = "".join(render_to_string("registration/password_reset_subject.txt", context).splitlines())
        body = render_to_string("registration/password_reset_email.html", context)
    send_mail(subject, body, None, [user.email])
    return True


# Reminders and notifications -------------------------------------------------------------------------------

KEY_LOOKUP_BATCH = 5000


@dataclass
class ScanResult:
    due: int  # reminders the sources reported
    new: int  # of which not recorded before
    emails: list[int]  # e-mails queued by this scan


def reminders_scan(*, now: datetime | None = None) -> ScanResult:
    """Record what every registered source reports as due, once per key, and queue the e-mails.

    Idempotent and safe on two workers at once: a reminder's key is unique in the database, inserts ignore
    conflicts, an e-mail is a row with a unique key (one digest per person and day), and the sending job
    locks that row and sends only while it is unsent. Each new e-mail is a job of the outbox written in this
    transaction: a broker that is down when it commits delays the e-mail, never loses it.
    """
    now = now or timezone.now()
    local = timezone.localtime(now)
    today = local.date()
    dues = {}
    for kind in reminders.kinds():
        for due in kind.fn(today):
            dues[reminders.key_of(kind.code, due)] = (kind, due)
    keys = list(dues)
    known = set()
    for start in range(0, len(keys), KEY_LOOKUP_BATCH):
        batch = keys[start : start + KEY_LOOKUP_BATCH]
        known.update(Notification.objects.filter(key__in=batch).values_list("key", flat=True))
    # Texts (in every language) are built only for the keys not recorded before: most of a scan's reminders
    # were delivered by an earlier scan.
    new = [
        Notification(
            key=key,
            kind=kind.code,
            recipient_id=due.recipient_id,
            project_id=due.project_id,
            text=reminders.resolved(due.text),
            url=due.url,
            due_date=due.due_date,
            urgent=kind.urgent,
            created_at=now,
        )
        for key, (kind, due) in dues.items()
        if key not in known
    ]
    with transaction.atomic():
        # Another scan may have inserted some of these since the look-up: the unique key keeps one.
        Notification.objects.bulk_create(new, ignore_conflicts=True, batch_size=2000)
        _reminder_emails_turned_off()
        _reminder_emails_urgent(today=today, now=now)
        if local.hour >= settings.REMINDER_DIGEST_HOUR:
            _reminder_emails_digest(today=today, now=now)
        # Each new e-mail becomes a job of the outbox in this same transaction (`queued_at` says it has one):
        # the broker only wakes the worker, and a wake-up it did not take is sent again by the sweep.
        to_queue = list(
            ReminderEmail.objects.filter(sent_at__isnull=True, queued_at__isnull=True).values_list("pk", flat=True)
        )
        if to_queue:
            ReminderEmail.objects.filter(pk__in=to_queue).update(queued_at=now)
            outbox.enqueue_many("reminders.email", ((f"reminder-email:{pk}", {"email_id": pk}) for pk in to_queue))
    return ScanResult(due=len(dues), new=len(new), emails=to_queue)


def _reminder_emails_turned_off():
    """Reminders of a kind the person has turned off by e-mail (or who cannot get e-mail) stay in-app only."""
    opted_out = EmailOptOut.objects.filter(user=OuterRef("recipient"), kind=OuterRef("kind"))
    Notification.objects.filter(email_status=Notification.EmailStatus.PENDING).filter(
        Exists(opted_out) | models.Q(recipient__is_active=False) | models.Q(recipient__email="")
    ).update(email_status=Notification.EmailStatus.OFF)


def _reminder_emails_urgent(*, today, now):
    """Urgent reminders are e-mailed at once, each on its own."""
    urgent = Notification.objects.filter(email_status=Notification.EmailStatus.PENDING, urgent=True)
    pending = list(urgent.values_list("pk", "recipient_id"))
    if not pending:
        return
    ReminderEmail.objects.bulk_create(
        [
            ReminderEmail(key=f"urgent:{pk}", kind=ReminderEmail.Kind.URGENT, recipient_id=r, day=today, created_at=now)
            for pk, r in pending
        ],
        ignore_conflicts=True,
        batch_size=1000,
    )
    own = ReminderEmail.objects.filter(key=Concat(Value("urgent:"), Cast(OuterRef("pk"), models.CharField())))
    urgent.filter(pk__in=[pk for pk, _r in pending]).update(
        email=Subquery(own.values("pk")[:1]), email_status=Notification.EmailStatus.QUEUED
    )


def _reminder_emails_digest(*, today, now):
    """Gather each person's waiting reminders into today's digest, unless today's digest has gone already
    (then they wait for tomorrow's: one digest a day)."""
    pending = Notification.objects.filter(email_status=Notification.EmailStatus.PENDING, urgent=False)
    recipients = list(pending.order_by().values_list("recipient_id", flat=True).distinct())
    if not recipients:
        return
    ReminderEmail.objects.bulk_create(
        [
            ReminderEmail(key=f"digest:{r}:{today}", kind=ReminderEmail.Kind.DIGEST, recipient_id=r, day=today,
                          created_at=now)
            for r in recipients
        ],
        ignore_conflicts=True,
        batch_size=1000,
    )  # fmt: skip
    open_digests = ReminderEmail.objects.filter(kind=ReminderEmail.Kind.DIGEST, day=today, sent_at__isnull=True)
    # Wait for a digest being sent right now, so nothing joins a digest after it went.
    list(open_digests.select_for_update().values_list("pk", flat=True))
    mine = open_digests.filter(recipient=OuterRef("recipient"))
    pending.filter(Exists(mine)).update(
        email=Subquery(mine.values("pk")[:1]), email_status=Notification.EmailStatus.QUEUED
    )


def reminder_email_send(*, email_id: int) -> bool:
    """Send one reminder e-mail unless it has been sent. An exception leaves it unsent for a retry."""
    with transaction.atomic():
        email = ReminderEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.sent_at is not None:
            return False
        user = User.objects.get(pk=email.recipient_id)
        items = list(
            email.notifications.filter(resolved_at__isnull=True)  # done since: nothing to remind of
            .select_related("project")
            .order_by("due_date", "created_at", "id")
        )
        email.attempts += 1
        if items and user.is_active and user.email:
            reminder_email_message(email=email, user=user, items=items, now=timezone.now()).send()
        email.sent_at = timezone.now()
        email.save(update_fields=["attempts", "sent_at"])
    return True


def reminder_email_message(*, email: ReminderEmail, user: User, items, now) -> EmailMultiAlternatives:
    """The e-mail (plain text and HTML) in the recipient's language, with a link to each reminder."""
    today = timezone.localtime(now).date()
    with translation.override(user.preferred_language):
        entries = [
            {
                "text": reminders.text_for(n.text),
                "project": n.project,
                "due_date": n.due_date,
                "overdue": n.due_date is not None and n.due_date < today,
                "link": settings.SITE_URL + (n.url or "/"),
            }
            for n in items
        ]
        entries.sort(key=lambda e: (not e["overdue"], e["due_date"] is None, e["due_date"] or today))
        if email.kind == ReminderEmail.Kind.URGENT:
            subject = _("Prosessguiden: %(text)s") % {"text": entries[0]["text"]}
        else:
            subject = ngettext(
                "Prosessguiden: %(count)d reminder for %(day)s",
                "Prosessguiden: %(count)d reminders for %(day)s",
                len(entries),
            ) % {"count": len(entries), "day": formats_date(today)}
        subject = " ".join(subject.split())  # one line, even for a name stored before single_line
        context = {
            "user": user,
            "entries": entries,
            "subject": subject,
            "urgent": email.kind == ReminderEmail.Kind.URGENT,
            "site_url": settings.SITE_URL,
            "notifications_url": settings.SITE_URL + reverse("notifications"),
            "settings_url": settings.SITE_URL + reverse("settings"),
            "tasks_url": settings.SITE_URL + reverse("tasks"),
            "LANGUAGE_CODE": user.preferred_language,
        }
        text = render_to_string("projects/email/reminders.txt", context)
        html = render_to_string("projects/email/reminders.html", context)
    # RFC 3834: a machine wrote it, so out-of-office replies and auto-responders stay away
    message = EmailMultiAlternatives(subject, text, None, [user.email], headers={"Auto-Submitted": "auto-generated"})
    message.attach_alternative(html, "text/html")
    return message


def formats_date(day) -> str:
    from django.utils.formats import date_format

    return date_format(day, "DATE_FORMAT")


def notification_send(*, kind: str, due: reminders.Due) -> Notification | None:
    """Record one notification at once (not through the scan): somebody was just made responsible for an item,
    say. Its key is made as the scan makes one, so the same occasion is recorded once; its e-mail follows with
    the next scan like any reminder's (the daily digest, unless the person turned the kind off)."""
    key = reminders.key_of(kind, due)
    notification, created = Notification.objects.get_or_create(
        key=key,
        defaults={
            "kind": kind,
            "recipient_id": due.recipient_id,
            "project_id": due.project_id,
            "text": reminders.resolved(due.text),
            "url": due.url,
            "due_date": due.due_date,
            "urgent": False,
        },
    )
    return notification if created else None


def notifications_resolve(*, obj: str, kinds, project_id: int | None = None) -> int:
    """The reminders of these kinds about `obj` ("item:42") are resolved: what they reminded of is done. They
    stop saying overdue, count as read, and an e-mail not yet sent leaves them out. Returns how many."""
    condition = models.Q()
    for kind in kinds:
        condition |= models.Q(kind=kind, key__startswith=f"{kind}:{obj}:")
    rows = Notification.objects.filter(condition, resolved_at__isnull=True)
    if project_id is not None:
        rows = rows.filter(project_id=project_id)
    now = timezone.now()
    rows.filter(email_status=Notification.EmailStatus.PENDING).update(email_status=Notification.EmailStatus.OFF)
    rows.filter(read_at__isnull=True).update(read_at=now)
    return rows.update(resolved_at=now)


@transaction.atomic
def notification_mark_read(*, notification: Notification, by: User) -> Notification:
    if notification.recipient_id != by.pk:
        raise ValidationError(_("This notification is not yours."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


# A person's data export ------------------------------------------------------------------------------------

PERSONAL_DATA_JOB = "personal_data.export"


@transaction.atomic
def personal_data_export_request(*, by: User) -> PersonalDataExport:
    """Ask for a file of everything the service keeps about `by` (Settings → Your data). The worker makes it
    (`personal_data_export_make`, an outbox job written in this transaction); asking again while one is being
    made gives that one."""
    if not by.is_authenticated or not by.is_active:
        raise PermissionDenied
    User.objects.select_for_update(no_key=True).filter(pk=by.pk).first()  # one request at a time per person
    waiting = PersonalDataExport.objects.filter(user=by, status=PersonalDataExport.Status.PENDING).first()
    if waiting is not None:
        return waiting
    export = PersonalDataExport.objects.create(user=by)
    outbox.enqueue(PERSONAL_DATA_JOB, key=f"personal-data-export:{export.pk}", payload={"export_id": export.pk})
    return export


def personal_data_export_make(*, export_id: int) -> PersonalDataExport | None:
    """Make the requested file (the outbox's job, holding its lease): the person's data as JSON, read as that
    person may read it now (`personal_data.person_data`: signed content through the sensitive-content reader),
    stored through the storage API, with a notification to its owner. Earlier exports of the person are
    removed. Running it again for a done export does nothing more."""
    import json

    from .personal_data import person_data

    export = PersonalDataExport.objects.select_related("user").filter(pk=export_id).first()
    if export is None or export.status != PersonalDataExport.Status.PENDING:
        return export
    person = export.user
    body = json.dumps(person_data(user=person), ensure_ascii=False, indent=2, default=str).encode("utf-8")
    with transaction.atomic():
        export = PersonalDataExport.objects.select_for_update().filter(pk=export_id).first()
        if export is None or export.status != PersonalDataExport.Status.PENDING:
            return export
        export.file.save(f"prosessguiden-{timezone.localdate().isoformat()}.json", ContentFile(body), save=False)
        export.sha256 = hashlib.sha256(body).hexdigest()
        export.size = len(body)
        export.generated_at = timezone.now()
        export.status = PersonalDataExport.Status.DONE
        export.save()
        Notification.objects.bulk_create(
            [
                Notification(
                    key=f"personal_data_export:{export.pk}",
                    kind="personal_data_export",
                    recipient=person,
                    text=reminders.in_languages(lambda: _("The file with your data is ready to download.")),
                    url=reverse("my_data"),
                    # In the app only: the e-mail settings name the kinds of reminder, and this is none of them.
                    email_status=Notification.EmailStatus.OFF,
                    created_at=export.generated_at,
                )
            ],
            ignore_conflicts=True,
        )
        earlier = PersonalDataExport.objects.filter(user=person, pk__lt=export.pk).exclude(
            status=PersonalDataExport.Status.PENDING
        )
        names = [name for name in earlier.values_list("file", flat=True) if name]
        earlier.delete()
        storage = export.file.storage
        transaction.on_commit(lambda: _files_delete(storage, names), robust=True)
    return export


def personal_data_export_failed(*, export_id: int, error: str = "") -> None:
    """The job gave up: the page says so, and the person may ask again."""
    PersonalDataExport.objects.filter(pk=export_id, status=PersonalDataExport.Status.PENDING).update(
        status=PersonalDataExport.Status.FAILED
    )


def _files_delete(storage, names):
    for name in names:
        storage.delete(name)


@transaction.atomic
def email_preferences_set(*, user: User, enabled_kinds) -> None:
    """Turn e-mail on for `enabled_kinds` and off for every other registered kind."""
    enabled = set(enabled_kinds)
    known = {k.code for k in reminders.kinds()}
    unknown = enabled - known
    if unknown:
        raise ValidationError(_("Unknown kind of reminder: %(kinds)s") % {"kinds": ", ".join(sorted(unknown))})
    off = known - enabled
    EmailOptOut.objects.filter(user=user).exclude(kind__in=off).delete()
    existing = set(EmailOptOut.objects.filter(user=user).values_list("kind", flat=True))
    EmailOptOut.objects.bulk_create([EmailOptOut(user=user, kind=k) for k in sorted(off - existing)])


@transaction.atomic
def calendar_feed_regenerate(*, user: User) -> CalendarFeed:
    """A new secret token for the person's calendar feeds; the old address stops working at once."""
    feed, _created = CalendarFeed.objects.select_for_update().get_or_create(
        user=user, defaults={"token": secrets.token_urlsafe(32)}
    )
    if not _created:
        feed.token = secrets.token_urlsafe(32)
        feed.created_at = timezone.now()
        feed.save(update_fields=["token", "created_at"])
    return feed


def calendar_feed_for(*, user: User) -> CalendarFeed:
    """The person's feed, made on first use."""
    feed = CalendarFeed.objects.filter(user=user).first()
    return feed or calendar_feed_regenerate(user=user)
