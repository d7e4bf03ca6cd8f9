"""Every URL against every kind of user, asserting the exact status code.

Add a URL with one line in ROWS. `project_page` reads: anonymous users go to log in, people who may not see
the project get 404, people who see it get `ok` when they may do the action and 403 otherwise.
"""

import hashlib
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from projects.models import Notification, Role
from projects.services import calendar_feed_for
from tests.factories import (
    MembershipFactory,
    OrgUnitFactory,
    ProjectFactory,
    UserFactory,
    coordinator,
    hr_adviser,
)

MEMBER_ROLES = tuple(Role.values)
# `superuser` is the seeded administrator (staff and superuser, no group, no project role): superuser status
# opens the Django admin and gives nothing in a project (docs/decisions.md), so they get 404 like an outsider.
ROLES = ("anonymous", "outsider", "leader", *MEMBER_ROLES, "coordinator", "hr", "staff", "superuser")
SEES_PROJECT = frozenset(MEMBER_ROLES) | {"coordinator"}
OWNER_MANAGER = ("owner", "manager")


def everyone(code, **overrides):
    return {role: overrides.get(role, code) for role in ROLES}


def logged_in(code, **overrides):
    return everyone(code, anonymous=302, **overrides)


def project_page(ok=200, allowed=SEES_PROJECT, denied=403):
    codes = {}
    for role in ROLES:
        if role == "anonymous":
            codes[role] = 302
        elif role not in SEES_PROJECT:
            codes[role] = 404
        else:
            codes[role] = ok if role in allowed else denied
    return codes


def OM(ok, *extra_roles):
    """Owner and manager (and `extra_roles`) get `ok`; other people who see the project get 403."""
    return project_page(ok=ok, allowed=(*OWNER_MANAGER, *extra_roles))


def _named(name, fn):
    fn.url_name = name
    return fn


def P(name, *extra):
    """A URL inside the project, with the primary keys of the named objects of the world after it."""
    return _named(name, lambda w: reverse(name, args=[w["project"].pk, *[w[e].pk for e in extra]]))


def U(name, *objects):
    return _named(name, lambda w: reverse(name, args=[w[o].pk for o in objects]))


# (name, url, method, expected status per role)
ROWS = [
    ("home", U("home"), "get", logged_in(302)),
    ("my projects", U("projects:mine"), "get", logged_in(200)),
    # Adding a project is also a Django model permission, which superuser status gives (they become its owner).
    ("project create", U("projects:create"), "get", logged_in(403, leader=200, coordinator=200, superuser=200)),
    # The coordinators' overview, with the portfolio risk matrix (phases registers the open hazards).
    ("overview", U("dashboard:overview"), "get", logged_in(403, coordinator=200)),
    ("overview timeline", U("dashboard:timeline"), "get", logged_in(403, coordinator=200)),
    (
        "overview export",
        _named("dashboard:export", lambda w: reverse("dashboard:export", args=["xlsx"])),
        "get",
        logged_in(403, coordinator=200),
    ),
    ("overview risk matrix", U("dashboard:risks"), "get", logged_in(403, coordinator=200)),
    ("project overview", P("projects:detail"), "get", project_page()),
    ("project edit", P("projects:edit"), "get", project_page(allowed=OWNER_MANAGER)),
    ("members", P("projects:members"), "get", project_page()),
    ("member add", P("projects:member_add"), "get", project_page(ok=302, allowed=OWNER_MANAGER)),
    ("member invite", P("projects:member_invite"), "get", project_page(ok=302, allowed=OWNER_MANAGER)),
    (
        "member role",
        P("projects:member_role", "member_membership"),
        "get",
        project_page(allowed=OWNER_MANAGER),
    ),
    (
        "member remove",
        P("projects:member_remove", "member_membership"),
        "get",
        project_page(allowed=OWNER_MANAGER),
    ),
    ("history", P("projects:history"), "get", project_page()),
    # A representative's deputy: named by the representative or a coordinator.
    (
        "deputy",
        P("projects:deputy", "safety_rep_membership"),
        "get",
        project_page(allowed=("safety_rep", "coordinator")),
    ),
    (
        "deputy end",
        P("projects:deputy_end", "deputyship"),
        "post",
        project_page(ok=302, allowed=("safety_rep", "coordinator")),
    ),
    # Phases (process engine). The item is assigned to the working-group member.
    ("phases", P("phases:overview"), "get", project_page()),
    ("activity", P("phases:activity", "activity"), "get", project_page()),
    ("item", P("phases:item", "item"), "get", project_page()),
    ("item toggle", P("phases:item_toggle", "item"), "post", OM(302, "member")),
    ("item plan", P("phases:item_plan", "item"), "post", OM(302)),
    ("item not applicable", P("phases:item_na", "item"), "post", OM(400, "member")),
    (
        "item comment",
        P("phases:item_comment", "item"),
        "post",
        OM(400, "member", "safety_rep", "union_rep", "oh_service", "amu"),
    ),
    ("item attachment", P("phases:item_attachment", "item"), "post", OM(400, "member")),
    ("attachment download", P("phases:attachment", "attachment"), "get", project_page()),
    ("attachment remove", P("phases:attachment_remove", "attachment"), "get", OM(200, "member")),
    ("phase complete", P("phases:complete", "phase"), "get", OM(200, "coordinator")),
    ("phase override", P("phases:override", "phase"), "post", project_page(ok=400, allowed=("coordinator",))),
    # The world's phase is not completed: the coordinator is sent back to the phases page.
    ("phase reopen", P("phases:reopen", "phase"), "get", project_page(ok=302, allowed=("coordinator",))),
    ("process templates", U("phases:templates"), "get", logged_in(403, coordinator=200)),
    ("process template", U("phases:template", "template"), "get", logged_in(403, coordinator=200)),
    ("process template file", U("phases:template_source", "template"), "get", logged_in(403, coordinator=200)),
    # Participation. The step requires the safety rep and the union rep.
    ("approvals inbox", U("participation:inbox"), "get", logged_in(200)),
    ("participation", P("participation:plan"), "get", project_page()),
    ("step", P("participation:step", "step"), "get", project_page()),
    ("step sign", P("participation:sign", "step"), "post", project_page(ok=400, allowed=("safety_rep", "union_rep"))),
    ("step edit", P("participation:step_edit", "step"), "get", OM(200)),
    ("step send", P("participation:step_send", "step"), "get", OM(200)),
    ("meeting create", P("participation:meeting_create"), "get", OM(200)),
    ("meeting", P("participation:meeting", "meeting"), "get", project_page()),
    ("meeting edit", P("participation:meeting_edit", "meeting"), "get", OM(200)),
    ("meeting file upload", P("participation:meeting_attachment", "meeting"), "post", OM(400)),
    ("meeting file", P("participation:meeting_file", "meeting_file"), "get", project_page()),
    ("meeting file remove", P("participation:meeting_file_remove", "meeting_file"), "get", OM(200)),
    (
        "protocol generate",
        _named(
            "projects:document_request",
            lambda w: reverse("projects:document_request", args=[w["project"].pk, "participation-protocol"]),
        ),
        "post",
        OM(302),
    ),
    (
        "document versions",
        _named(
            "projects:documents",
            lambda w: reverse("projects:documents", args=[w["project"].pk, "participation-protocol"]),
        ),
        "get",
        project_page(),
    ),
    ("document download", P("projects:document", "document"), "get", project_page()),
    # Trying again a version that is ready changes nothing: the owner and manager are sent back with a message.
    ("document retry", P("projects:document_retry", "document"), "post", OM(302)),
    # The archive: "Send til arkiv" asks the owner or manager to confirm; coordinators keep the archive's page and
    # send a failed archiving again.
    ("archive send", P("archive:send", "document"), "get", OM(200)),
    ("archive settings", U("archive:settings"), "get", logged_in(403, coordinator=200)),
    ("archive resend", U("archive:resend", "archiving"), "post", logged_in(403, coordinator=302)),
    # Evaluation. The project moved in today; an adjustment waits for a coordinator's approval.
    ("move-in", P("evaluation:move_in"), "get", OM(302)),
    ("evaluation", P("evaluation:overview"), "get", project_page()),
    ("move-in correct", P("evaluation:move_in_correct"), "get", project_page(allowed=("coordinator",))),
    ("freeze shorten", P("evaluation:freeze"), "get", project_page(allowed=("owner",))),
    ("change request", P("evaluation:change_request_create"), "get", OM(200)),
    (
        "change request approve",
        P("evaluation:change_request_approve", "change_request"),
        "get",
        project_page(allowed=("coordinator",)),
    ),
    ("evaluation plan", P("evaluation:plan"), "get", OM(200)),
    ("evaluation follow-up", P("evaluation:follow_up"), "get", OM(200)),
    ("result create", P("evaluation:result_create"), "get", OM(200)),
    ("result edit", P("evaluation:result_edit", "result"), "get", OM(200)),
    ("figure create", P("evaluation:figure_create"), "get", OM(200)),
    (
        "figure import survey",
        _named(
            "evaluation:figure_import",
            lambda w: reverse("evaluation:figure_import", args=[w["project"].pk, "survey"]),
        ),
        "get",
        OM(200),
    ),
    (
        "figure template",
        _named("evaluation:figure_template", lambda w: reverse("evaluation:figure_template", args=["survey", "csv"])),
        "get",
        logged_in(200),
    ),
    ("evaluation complete", P("evaluation:complete"), "get", OM(200)),
    # The HMS action plan's own page (its tab shows before move-in; the world has moved in, the page still opens).
    ("measures", P("evaluation:measures"), "get", project_page()),
    ("measure create", P("evaluation:measure_create"), "get", OM(200)),
    ("measure edit", P("evaluation:measure_edit", "measure"), "get", OM(200)),
    ("measure edit sensitive", P("evaluation:measure_edit", "sensitive_measure"), "get", OM(200)),
    ("measures prioritise", P("evaluation:measures_prioritise"), "get", OM(200)),
    ("plan goal create", P("evaluation:plan_goal_create"), "get", OM(200)),
    ("plan goal edit", P("evaluation:plan_goal_edit", "plan_goal"), "get", OM(200)),
    ("measure from hazard", P("evaluation:measure_from_hazard", "hazard"), "get", OM(200)),
    # HR: across projects, without a project role; nobody else gets in (404 for a project, 403 for the list).
    ("hr", U("evaluation:hr"), "get", logged_in(403, hr=200, coordinator=200)),
    (
        "hr export",
        _named("evaluation:hr_export", lambda w: reverse("evaluation:hr_export", args=["measures", "csv"])),
        "get",
        logged_in(403, hr=200, coordinator=200),
    ),
    ("hr project", U("evaluation:hr_project", "project"), "get", logged_in(404, hr=200, coordinator=200)),
    (
        "hr report request",
        U("evaluation:hr_report_request", "project"),
        "post",
        logged_in(404, hr=302, coordinator=302),
    ),
    ("hr report status", U("evaluation:hr_report_status", "project"), "get", logged_in(404, hr=200, coordinator=200)),
    (
        "hr report retry",
        U("evaluation:hr_report_retry", "project", "report"),
        "post",
        logged_in(404, hr=302, coordinator=302),
    ),
    (
        "hr report",
        U("evaluation:hr_report_download", "project", "report"),
        "get",
        logged_in(404, hr=200, coordinator=200),
    ),
    ("hr sick leave", U("evaluation:hr_sick_leave", "project"), "get", logged_in(404, hr=200, coordinator=403)),
    (
        "hr figure import deviations",
        _named(
            "evaluation:hr_figure_import",
            lambda w: reverse("evaluation:hr_figure_import", args=[w["project"].pk, "deviations"]),
        ),
        "get",
        logged_in(404, hr=200, coordinator=403),
    ),
    # Work products (Dokumenter). The world has a mandate with a milestone and goals with an order form.
    ("documents", P("workproducts:list"), "get", project_page()),
    (
        "document",
        _named("workproducts:detail", lambda w: reverse("workproducts:detail", args=[w["project"].pk, "mandate"])),
        "get",
        project_page(),
    ),
    (
        "document edit",
        _named(
            "workproducts:edit",
            lambda w: reverse("workproducts:edit", args=[w["project"].pk, "mandate"]),
        ),
        "get",
        OM(200),
    ),
    (
        "document state",
        _named(
            "workproducts:state",
            lambda w: reverse("workproducts:state", args=[w["project"].pk, "mandate"]) + "?state=adopted",
        ),
        "get",
        OM(200),
    ),
    (
        "row add",
        _named(
            "workproducts:row_add",
            lambda w: reverse("workproducts:row_add", args=[w["project"].pk, "mandate", "milestones"]),
        ),
        "get",
        OM(200),
    ),
    (
        "row edit",
        _named(
            "workproducts:row_edit",
            lambda w: reverse(
                "workproducts:row_edit", args=[w["project"].pk, "mandate", "milestones", w["milestone"].pk]
            ),
        ),
        "get",
        OM(200),
    ),
    (
        "row delete",
        _named(
            "workproducts:row_delete",
            lambda w: reverse(
                "workproducts:row_delete", args=[w["project"].pk, "mandate", "milestones", w["milestone"].pk]
            ),
        ),
        "get",
        OM(200),
    ),
    ("order send", P("workproducts:order_send"), "post", OM(302)),
    ("order accept", P("workproducts:order_accept"), "get", project_page(allowed=("coordinator",))),
    # The mapping and the area programme: everybody who sees the project reads; owner and manager edit.
    (
        "mapping",
        _named("workproducts:detail", lambda w: reverse("workproducts:detail", args=[w["project"].pk, "mapping"])),
        "get",
        project_page(),
    ),
    (
        "area programme",
        _named(
            "workproducts:detail",
            lambda w: reverse("workproducts:detail", args=[w["project"].pk, "area_programme"]),
        ),
        "get",
        project_page(),
    ),
    ("proximity", P("space:proximity"), "get", OM(200)),
    ("proximity save", P("space:proximity"), "post", OM(302)),
    ("study add", P("space:study_add"), "get", OM(200)),
    ("study", P("space:study", "study"), "get", project_page()),
    ("study edit", P("space:study_edit", "study"), "get", OM(200)),
    ("study delete", P("space:study_delete", "study"), "get", OM(200)),
    ("zone add", P("space:zone_add", "study"), "get", OM(200)),
    ("zone edit", P("space:zone_edit", "study", "zone"), "get", OM(200)),
    ("zone delete", P("space:zone_delete", "study", "zone"), "get", OM(200)),
    ("study round", P("space:study_round", "study"), "get", OM(200)),
    ("study round save", P("space:study_round", "study"), "post", OM(302)),
    ("study import", P("space:study_import", "study"), "get", OM(200)),
    ("study import post", P("space:study_import", "study"), "post", OM(200)),
    # An import's progress and outcome, for those who may import (the world's import has no file: a retry is
    # refused with a message and the owner and manager are sent back).
    ("file import", P("projects:file_import", "file_import"), "get", OM(200)),
    ("file import retry", P("projects:file_import_retry", "file_import"), "post", OM(302)),
    (
        "study template",
        _named(
            "space:study_template",
            lambda w: reverse("space:study_template", args=[w["project"].pk, w["study"].pk, "xlsx"]),
        ),
        "get",
        project_page(),
    ),
    ("plan add", P("space:plan_add"), "get", OM(200)),
    ("plan download", P("space:plan", "plan"), "get", project_page()),
    ("plan remove", P("space:plan_remove", "plan"), "get", OM(200)),
    ("room catalogue", U("space:room_catalogue"), "get", logged_in(403, coordinator=200)),
    ("room catalogue add", U("space:room_catalogue"), "post", logged_in(403, coordinator=200)),
    ("room type", U("space:room_type", "room_type"), "get", logged_in(403, coordinator=200)),
    (
        "area norm",
        _named("space:area_norm", lambda w: reverse("space:area_norm", args=["new_premises"])),
        "get",
        logged_in(403, coordinator=200),
    ),
    ("EBE services", U("workproducts:order_services"), "get", logged_in(403, coordinator=200)),
    ("EBE service", U("workproducts:order_service", "service"), "get", logged_in(403, coordinator=200)),
    ("settings", U("settings"), "get", logged_in(200)),
    # Reminders, notifications and calendars. The notification and the calendar feed are the member's.
    ("my tasks", U("tasks"), "get", logged_in(200)),
    # The administrator's system page: staff only (people, global roles, templates, health, queues).
    ("system", U("system"), "get", logged_in(403, staff=200, superuser=200)),
    ("notifications", U("notifications"), "get", logged_in(200)),
    ("notifications read all", U("notifications_read_all"), "post", logged_in(302)),
    ("notification open", U("notification_open", "notification"), "get", logged_in(404, member=302)),
    ("notification read", U("notification_read", "notification"), "post", logged_in(404, member=302)),
    ("calendar", U("calendar"), "get", logged_in(200)),
    ("calendar new address", U("calendar_regenerate"), "get", logged_in(200)),
    # The feeds need no log-in: the secret address is the key (a wrong one gets 404, see test_calendar.py).
    (
        "calendar feed",
        _named("calendar_feed", lambda w: reverse("calendar_feed", args=[w["feed"].token])),
        "get",
        everyone(200),
    ),
    (
        "calendar project feed",
        _named(
            "calendar_project_feed",
            lambda w: reverse("calendar_project_feed", args=[w["feed"].token, w["project"].pk]),
        ),
        "get",
        everyone(200),
    ),
    ("language switch", U("set_language"), "get", everyone(405)),
    ("log in", U("login"), "get", everyone(302, anonymous=200)),
    ("password reset", U("password_reset"), "get", everyone(200)),
    ("password change", U("password_change"), "get", logged_in(200)),
    ("admin", U("admin:index"), "get", everyone(302, staff=200, superuser=200)),
    # Employee surveys and comment rounds (Undersøkelser). The world has a running baseline and follow-up and an
    # open comment round with one comment. Free text (the comments) is the owner's and the representatives' only.
    ("surveys", P("surveys:index"), "get", project_page()),
    (
        "survey start",
        _named("surveys:start", lambda w: reverse("surveys:start", args=[w["project"].pk, "baseline"])),
        "get",
        OM(302),
    ),
    (
        "survey",
        _named("surveys:detail", lambda w: reverse("surveys:detail", args=[w["project"].pk, "follow-up"])),
        "get",
        project_page(),
    ),
    (
        "survey remind",
        _named("surveys:remind", lambda w: reverse("surveys:remind", args=[w["project"].pk, "baseline"])),
        "post",
        OM(302),
    ),
    (
        "survey close",
        _named("surveys:close", lambda w: reverse("surveys:close", args=[w["project"].pk, "baseline"])),
        "get",
        OM(200),
    ),
    (
        "survey export",
        _named("surveys:export", lambda w: reverse("surveys:export", args=[w["project"].pk, "baseline"])),
        "get",
        project_page(),
    ),
    (
        "survey to evaluation",
        _named("surveys:transfer", lambda w: reverse("surveys:transfer", args=[w["project"].pk, "follow-up"])),
        "post",
        OM(302),
    ),
    (
        "survey measure",
        _named("surveys:measure", lambda w: reverse("surveys:measure", args=[w["project"].pk, "follow-up", "noise"])),
        "post",
        OM(302),
    ),
    ("comment round create", P("surveys:round_create"), "get", OM(200)),
    ("comment round", P("surveys:round", "comment_round"), "get", project_page()),
    ("comment round close", P("surveys:round_close", "comment_round"), "get", OM(200)),
    (
        "comment answer",
        _named(
            "surveys:comment_answer",
            lambda w: reverse("surveys:comment_answer", args=[w["project"].pk, w["comment_round"].pk, w["comment"].pk]),
        ),
        "post",
        project_page(ok=302, allowed=("owner",)),
    ),
    ("questionnaires", U("surveys:questionnaires"), "get", logged_in(403, coordinator=200)),
    ("questionnaire file", U("surveys:questionnaire_source", "questionnaire"), "get", logged_in(403, coordinator=200)),
    # The personal link needs no log-in: the link is the key (an unknown one gets 404, see tests/surveys).
    (
        "survey answer",
        _named("surveys:answer", lambda w: reverse("surveys:answer", args=[w["survey_token"]])),
        "get",
        everyone(200),
    ),
    # Single sign-on is off unless configured (tests/projects/test_oidc.py covers it switched on).
    ("sso start", U("oidc_authentication_init"), "get", everyone(404)),
    ("sso callback", U("oidc_authentication_callback"), "get", everyone(404)),
    ("health check", U("healthz"), "get", everyone(200)),
    ("accessibility statement", U("accessibility"), "get", everyone(200)),
    ("privacy", U("privacy"), "get", everyone(200)),
    ("my data export", U("my_data"), "get", logged_in(200)),
    ("my data export: ask for the file", U("my_data"), "post", logged_in(302)),
    # The file of one person's data: only that person (the member here) downloads it; anybody else gets 404.
    ("my data export: the file", U("my_data_download", "data_export"), "get", logged_in(404, member=200)),
    # The toolbox (issue 28): everybody signed in reads and searches it, coordinators keep it.
    ("toolbox", U("toolbox:list"), "get", logged_in(200)),
    ("toolbox create", U("toolbox:create"), "get", logged_in(403, coordinator=200)),
    ("toolbox edit", U("toolbox:edit", "toolbox_entry"), "get", logged_in(403, coordinator=200)),
    ("toolbox delete", U("toolbox:delete", "toolbox_entry"), "get", logged_in(403, coordinator=200)),
    ("toolbox file", U("toolbox:file", "toolbox_entry"), "get", logged_in(200)),
    # Lessons learned (issue 28): the project's tab, writing one, the register, a coordinator's sharing.
    ("lessons", P("lessons:project"), "get", project_page()),
    ("lesson create", P("lessons:create"), "get", OM(200, "coordinator")),
    ("lessons register", U("lessons:register"), "get", logged_in(200)),
    ("lesson share", U("lessons:share", "lesson"), "post", logged_in(403, coordinator=302)),
    # A document's attached files (issue 28): shown to all who see the project, kept by the owner and manager.
    (
        "document file add",
        _named("workproducts:file_add", lambda w: reverse("workproducts:file_add", args=[w["project"].pk, "mandate"])),
        "get",
        OM(302),
    ),
    (
        "document file",
        _named(
            "workproducts:file",
            lambda w: reverse("workproducts:file", args=[w["project"].pk, "mandate", w["mandate_file"].pk]),
        ),
        "get",
        project_page(),
    ),
    (
        "document file remove",
        _named(
            "workproducts:file_remove",
            lambda w: reverse("workproducts:file_remove", args=[w["project"].pk, "mandate", w["mandate_file"].pk]),
        ),
        "get",
        OM(200),
    ),
]


def _build_world(steps_template):
    from django.core.files.base import ContentFile
    from django.core.files.uploadedfile import SimpleUploadedFile

    from participation import services as participation_services
    from phases import services as phase_services

    project = ProjectFactory()
    w = {"project": project, "template": steps_template}
    for role in MEMBER_ROLES:
        m = MembershipFactory(project=project, role=role)
        w[role] = m.user
        w[f"{role}_membership"] = m
    w["outsider"] = MembershipFactory(project=ProjectFactory(), role=Role.OWNER).user
    w["leader"] = UserFactory()
    OrgUnitFactory(leader=w["leader"])
    w["coordinator"] = coordinator()
    w["hr"] = hr_adviser()
    w["staff"] = UserFactory(is_staff=True)
    w["superuser"] = UserFactory(is_staff=True, is_superuser=True)
    phase_services.process_start(project=project, template=steps_template, by=w["owner"])
    w["phase"] = project.phases.get(order=1)
    w["activity"] = w["phase"].activities.get(key="goals")
    w["item"] = w["activity"].items.get(key="workshop")
    phase_services.item_plan(item=w["item"], by=w["owner"], assignee=w["member"], due_date=None)
    upload = SimpleUploadedFile("notat.txt", b"Referat fra verkstedet", content_type="text/plain")
    w["attachment"] = phase_services.attachment_add(item=w["item"], by=w["owner"], upload=upload)
    w["step"] = project.participation_steps.get(key="mandate-consultation")
    w["meeting"] = participation_services.meeting_save(
        project=project,
        by=w["owner"],
        type="consultation",
        title="Drøftingsmøte",
        held_on=date(2027, 1, 10),
        steps=[w["step"]],
    )
    upload = SimpleUploadedFile("referat.txt", b"Referat", content_type="text/plain")
    w["meeting_file"] = participation_services.meeting_attachment_add(
        meeting=w["meeting"], by=w["owner"], upload=upload
    )
    from workproducts import services as work_products

    mandate = work_products.workproduct_start(project=project, kind="mandate", by=w["owner"])
    w["milestone"] = work_products.workproduct_row_save(
        work_product=mandate,
        section="milestones",
        by=w["owner"],
        data={"name": "Innflytting", "date": date(2027, 9, 1)},
    )
    w["service"] = work_products.order_service_save(by=w["coordinator"], name="Prosjektledelse")
    upload = SimpleUploadedFile("plan.txt", b"Plan", content_type="text/plain")
    w["mandate_file"] = work_products.workproduct_file_add(work_product=mandate, by=w["owner"], upload=upload)
    from lessons import services as lessons
    from toolbox import services as toolbox

    w["toolbox_entry"] = toolbox.entry_save(
        by=w["coordinator"], title="Eksempel", kind="example", language="nb", url="", description="",
        activities=["mini-steps:goals"], upload=SimpleUploadedFile("eksempel.txt", b"Eksempel"),
    )  # fmt: skip
    w["lesson"] = lessons.lesson_write(
        project=project, by=w["owner"], phase=w["phase"], what_happened="Sent informert", next_time="Informer tidlig"
    )
    _space_world(w)
    goals = work_products.workproduct_start(project=project, kind="goals", by=w["owner"])
    work_products.workproduct_save(work_product=goals, by=w["owner"], data={"order_services": [w["service"]]})
    # A stored protocol to download (the matrix tests access, not rendering: that has tests of its own).
    from projects.models import GeneratedDocument

    doc = GeneratedDocument(project=project, kind="participation-protocol", version=1, requested_by=w["owner"])
    doc.file.save("protocol.pdf", ContentFile(b"%PDF-1.7"), save=False)
    doc.status, doc.sha256, doc.size = GeneratedDocument.Status.DONE, hashlib.sha256(b"%PDF-1.7").hexdigest(), 8
    doc.save()
    w["document"] = doc
    from archive.models import Archiving

    w["archiving"] = Archiving.objects.create(
        key=Archiving.key_for(doc), project=project, document=doc, trigger=Archiving.Trigger.MANUAL,
        state=Archiving.State.FAILED, error="Ikke montert",
    )  # fmt: skip
    _evaluation_world(w)
    _survey_world(w)
    w["notification"] = Notification.objects.create(
        key="test:1", kind="item_due_soon", recipient=w["member"], project=project, text={"nb": "Frist"}, url="/"
    )
    w["feed"] = calendar_feed_for(user=w["member"])
    from projects.models import PersonalDataExport

    export = PersonalDataExport(user=w["member"], status=PersonalDataExport.Status.DONE)
    export.file.save("data.json", ContentFile(b"{}"), save=False)
    export.sha256, export.size = hashlib.sha256(b"{}").hexdigest(), 2
    export.save()
    w["data_export"] = export
    from projects.services import deputy_set

    w["deputyship"] = deputy_set(
        project=project, principal=w["safety_rep"], role=Role.SAFETY_REP, deputy=UserFactory(),
        starts=date(2099, 7, 1), ends=date(2099, 7, 14), by=w["safety_rep"],
    )  # fmt: skip
    return w


@pytest.fixture(scope="module")
def _matrix_media(tmp_path_factory):
    return tmp_path_factory.mktemp("matrix-media")


@pytest.fixture(autouse=True)
def _media_root(settings, _matrix_media):
    """The world's files live in one folder for the whole module (overrides the per-test folder)."""
    settings.MEDIA_ROOT = _matrix_media


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker, _matrix_media):
    """The world is built once per module inside a transaction that is rolled back at the end; each test runs
    in a savepoint inside it (pytest-django's `db`), so what one request changes never reaches the next."""
    from django.db import transaction
    from django.test import override_settings

    from phases.services import template_load_file
    from tests.conftest import STEPS_TEMPLATE

    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=_matrix_media), transaction.atomic():
        w = _build_world(template_load_file(path=STEPS_TEMPLATE)[0])
        yield w
        transaction.set_rollback(True)


@pytest.fixture
def world(db, _world):
    return _world


def _space_world(w):
    """The mapping (two units, a study with a zone) and the area programme (a plan), on activities of their own."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from phases.models import Activity
    from space import services as space
    from space.models import RoomType
    from workproducts.services import workproduct_row_save

    project, owner = w["project"], w["owner"]
    for order, key in ((90, "mapping"), (91, "area_programme")):
        Activity.objects.create(
            project=project, phase=w["phase"], key=key.replace("_", "-"), order=order, name_nb=key, name_en=key,
            owner_role="owner", work_product=key,
        )  # fmt: skip
    mapping = space.mapping_start(project=project, by=owner)
    for name in ("Økonomi", "Innkjøp"):
        workproduct_row_save(work_product=mapping, section="units", by=owner, data={"name": name, "headcount": 5})
    w["study"] = space.study_save(
        project=project, by=owner, data={"name": "Før", "starts_on": date(2027, 2, 1), "ends_on": date(2027, 2, 12)}
    )
    w["zone"] = space.zone_save(study=w["study"], by=owner, data={"name": "Øst", "places": 10})
    from projects.models import FileImport

    w["file_import"] = FileImport.objects.create(
        project=w["project"], kind="space.observations", target={"study_id": w["study"].pk}, name="r.csv",
        requested_by=owner,
    )  # fmt: skip
    upload = SimpleUploadedFile("soner.pdf", b"%PDF-1.7", content_type="application/pdf")
    w["plan"] = space.plan_add(project=project, by=owner, kind="zones", description="Soner", upload=upload)
    w["room_type"] = RoomType.objects.order_by("pk").first()


def _evaluation_world(w):
    from django.utils import timezone

    from evaluation import services as evaluation_services

    project, owner = w["project"], w["owner"]
    evaluation = evaluation_services.movein_record(
        early_confirmed=True, project=project, by=owner, move_in=timezone.localdate()
    )
    w["change_request"] = evaluation_services.change_request_log(
        project=project, by=owner, what="Nytt møterom", why="Behov", category="weakening", requested_by="Ola"
    )
    w["result"] = evaluation_services.result_save(
        evaluation=evaluation, by=owner, kind="criterion", criterion="leaders", score=4
    )
    measure = {"focus_area": "Støy", "goal": "Ro", "activity": "Skilt", "responsible": "Kari", "source": "evaluation"}
    w["measure"] = evaluation_services.measure_create(project=project, by=owner, **measure)
    w["sensitive_measure"] = evaluation_services.measure_create(project=project, by=owner, sensitive=True, **measure)
    w["plan_goal"] = evaluation_services.plan_goal_save(
        project=project, by=owner, description="Sykefravær", direction="under", target=Decimal("5.4"), unit="%"
    )
    # A hazard (the mini process has no risk-assessment activity: the rows are made directly; access only).
    from phases.models import Activity
    from workproducts.models import Hazard, WorkProduct

    risk = WorkProduct.objects.create(
        project=project,
        activity=Activity.objects.filter(project=project).first(),
        kind="risk_assessment",
        updated_by=owner,
    )
    w["hazard"] = Hazard.objects.create(
        project=project, work_product=risk, description="Støy", likelihood=3, consequence=3
    )
    from django.core.files.base import ContentFile

    from projects.models import GeneratedDocument

    report = GeneratedDocument(project=project, kind="evaluation-report", version=1, requested_by=owner)
    report.file.save("report.pdf", ContentFile(b"%PDF-1.7"), save=False)
    report.status, report.sha256, report.size = (
        GeneratedDocument.Status.DONE,
        hashlib.sha256(b"%PDF-1.7").hexdigest(),
        8,
    )
    report.save()
    w["report"] = report


def _survey_world(w):
    from datetime import timedelta

    from django.utils import timezone

    from surveys import services as surveys
    from surveys.tokens import token_for

    project, owner, today = w["project"], w["owner"], timezone.localdate()
    w["questionnaire"] = surveys.questionnaires_load_shipped()[0]
    people = [(f"ansatt{i}@example.no", "") for i in range(3)]
    dates = {"opens_on": today, "closes_on": today + timedelta(days=14)}
    baseline = surveys.survey_start(
        project=project, kind="baseline", by=owner, addresses=people, questionnaire=w["questionnaire"], **dates
    )
    surveys.survey_start(project=project, kind="follow_up", by=owner, addresses=people, **dates)
    w["survey_token"] = token_for(baseline.invitations.order_by("pk").first().nonce)
    w["comment_round"] = surveys.round_start(
        project=project,
        by=owner,
        title="Husregler",
        draft="Utkast",
        closes_on=dates["closes_on"],
        addresses=people,
        step=w["step"],  # a round belongs to one consultation step
    )
    w["comment"] = w["comment_round"].comments.create(text="For lite stillerom")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "url", "method", "expected"), ROWS, ids=[r[0] for r in ROWS])
def test_permission_matrix(client, world, name, url, method, expected, role):
    if role != "anonymous":
        client.force_login(world[role])
    response = getattr(client, method)(url(world))
    assert response.status_code == expected[role], f"{name} as {role}"


def test_matrix_covers_every_url():
    """A new URL without a row fails here, so the matrix cannot fall behind the app."""
    from django.urls import get_resolver

    def names(resolver, prefix=""):
        for p in resolver.url_patterns:
            if hasattr(p, "url_patterns"):
                ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
                yield from names(p, ns)
            elif p.name:
                yield prefix + p.name

    covered = {url.url_name for _, url, _, _ in ROWS}
    # Auth views that need a token or only follow a form post are covered by their own tests.
    elsewhere = {
        "logout",
        "password_change_done",
        "password_reset_done",
        "password_reset_confirm",
        "password_reset_complete",
    }
    app_names = {n for n in names(get_resolver()) if not n.startswith("admin:")}
    assert app_names - covered - elsewhere == set()
