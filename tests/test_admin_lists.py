"""The admin's list pages read a fixed number of queries whatever the number of rows (pinned at two sizes),
and their first page comes from an index: newest first by primary key, not sorted over joins."""

import datetime

import pytest
from django.contrib.admin.sites import site
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from participation import services as participation_services
from participation.models import Meeting, SignOff, Step
from phases import services as phase_services
from phases.models import ChecklistItem, Phase
from projects.models import GeneratedDocument, OrgUnit, Role
from tests.factories import OrgUnitFactory, ProjectFactory, UserFactory, member

pytestmark = pytest.mark.django_db

APPS = ("projects", "phases", "participation", "evaluation")
# The most any list page of the apps reads: the session, the user, the count, the page, the user's groups and
# permissions (twice), the top bar's role and notification count, the session saved (three), a filter's choices.
MAX_QUERIES = 14


def _add_projects(n, template, start):
    """`n` projects with their process, a step sent and signed by both representatives, a meeting, a
    document, a completed phase, items with somebody responsible, and an org unit with a parent and leader."""
    for i in range(n):
        project = ProjectFactory(name=f"Prosjekt {start + i}", start_date=datetime.date(2027, 1, 4))
        owner = member(project, Role.OWNER)
        safety = member(project, Role.SAFETY_REP)
        union = member(project, Role.UNION_REP)
        phase_services.process_start(project=project, template=template, by=owner)
        step = project.participation_steps.get(key="mandate-consultation")
        step = participation_services.step_update(step=step, by=owner, summary="Ramme 2 500 000 kr.", meetings=[])
        step = participation_services.step_send(step=step, by=owner)
        for rep in (safety, union):
            participation_services.signoff_record(step=step, by=rep, decision=SignOff.Decision.APPROVED)
        Meeting.objects.create(
            project=project, type=Meeting.Type.INFORMATION, title="Informasjonsmøte", held_on=datetime.date(2027, 2, 1),
            created_by=owner,
        )  # fmt: skip
        GeneratedDocument.objects.create(project=project, kind="mandate", version=1, requested_by=owner)
        Phase.objects.filter(project=project, order=1).update(completed_at=timezone.now(), completed_by=owner)
        ChecklistItem.objects.filter(project=project).update(assignee=owner)
        OrgUnitFactory(name=f"Enhet {start + i}", leader=owner)


def _list_urls():
    for model in site._registry:
        if model._meta.app_label in APPS:
            meta = model._meta
            yield meta.label_lower, reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"), meta.db_table


def _counts(client):
    counts = {}
    for label, url, _table in _list_urls():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, label
        counts[label] = len(queries)
    return counts


def test_every_list_page_reads_the_same_number_of_queries_at_two_sizes(client, steps_template):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    _add_projects(1, steps_template, 0)
    small = _counts(client)
    _add_projects(3, steps_template, 1)
    assert Step.objects.count() >= 4 and OrgUnit.objects.filter(leader__isnull=False).count() == 4
    large = _counts(client)
    assert large == small
    assert max(large.values()) <= MAX_QUERIES, large


def test_the_big_lists_are_newest_first_by_primary_key(client, steps_template):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    _add_projects(2, steps_template, 0)
    for label, url, table in _list_urls():
        if label in ("projects.orgunit", "projects.user"):
            continue  # the organisation and the people are few, and read by name
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        page = [q["sql"] for q in queries if q["sql"].startswith(f'SELECT "{table}"."id"') and "ORDER BY" in q["sql"]]
        assert page, label
        order_by = page[-1].rsplit("ORDER BY", 1)[1]
        first = order_by.split(",")[0].split("LIMIT")[0].strip()
        assert first.endswith('."id" DESC'), (label, order_by)
