"""Representatives comment on checklist items; EBE coordinators can be responsible for building-track items."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from phases import services
from phases.models import ChecklistItem, ItemComment
from projects.models import Role
from tests.factories import ProjectFactory, UserFactory, coordinator, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(bergen_template):
    project = ProjectFactory(start_date=datetime.date(2027, 1, 4), planned_move_in=datetime.date(2027, 10, 1))
    project.owner = member(project, Role.OWNER, full_name="Kari Eier")
    services.process_start(project=project, template=bergen_template, by=project.owner)
    return project


def building_item(project):
    return ChecklistItem.objects.get(project=project, activity__key="building-process", key="plan")


def internal_item(project):
    return ChecklistItem.objects.get(project=project, activity__key="house-rules", key="guidelines")


@pytest.mark.parametrize("role", [Role.SAFETY_REP, Role.UNION_REP, Role.OH_SERVICE, Role.AMU])
def test_representatives_comment_on_an_item_they_cannot_tick(client, project, role):
    rep = member(project, role)
    it = internal_item(project)
    client.force_login(rep)
    page = client.get(reverse("phases:item", args=[project.pk, it.pk])).content.decode()
    assert 'name="comment-text"' in page
    assert "Marker som utført" not in page  # reading and commenting, not ticking
    response = client.post(reverse("phases:item_comment", args=[project.pk, it.pk]), {"comment-text": "Husk støy"})
    assert response.status_code == 302
    assert ItemComment.objects.get(item=it).author == rep
    assert client.post(reverse("phases:item_toggle", args=[project.pk, it.pk]), {"done": "1"}).status_code == 403


def test_an_observer_reads_but_does_not_comment(client, project):
    viewer = member(project, Role.VIEWER)
    it = internal_item(project)
    client.force_login(viewer)
    assert 'name="comment-text"' not in client.get(reverse("phases:item", args=[project.pk, it.pk])).content.decode()
    assert (
        client.post(reverse("phases:item_comment", args=[project.pk, it.pk]), {"comment-text": "x"}).status_code == 403
    )
    with pytest.raises(PermissionDenied):
        services.item_comment(item=it, by=viewer, text="x")
    assert not ItemComment.objects.exists()


def test_a_coordinator_can_be_made_responsible_for_a_building_track_item(client, project):
    ebe = coordinator(full_name="Knut Koordinator")
    it = building_item(project)
    client.force_login(project.owner)
    page = client.get(reverse("phases:item", args=[project.pk, it.pk])).content.decode()
    assert "Knut Koordinator" in page  # offered in the responsible list
    response = client.post(reverse("phases:item_plan", args=[project.pk, it.pk]), {"plan-assignee": ebe.pk})
    assert response.status_code == 302
    it.refresh_from_db()
    assert it.assignee == ebe
    # The coordinator now works the item: the page offers the tick, and ticking it is allowed.
    client.force_login(ebe)
    assert "Marker som utført" in client.get(reverse("phases:item", args=[project.pk, it.pk])).content.decode()
    assert client.post(reverse("phases:item_toggle", args=[project.pk, it.pk]), {"done": "1"}).status_code == 302
    it.refresh_from_db()
    assert it.status == ChecklistItem.Status.DONE and it.completed_by == ebe


def test_a_coordinator_is_not_responsible_outside_the_building_track(client, project):
    ebe = coordinator(full_name="Knut Koordinator")
    it = internal_item(project)
    client.force_login(project.owner)
    assert "Knut Koordinator" not in client.get(reverse("phases:item", args=[project.pk, it.pk])).content.decode()
    with pytest.raises(ValidationError):
        services.item_plan(item=it, by=project.owner, assignee=ebe, due_date=None)
    response = client.post(reverse("phases:item_plan", args=[project.pk, it.pk]), {"plan-assignee": ebe.pk})
    assert response.status_code == 400
    assert ChecklistItem.objects.get(pk=it.pk).assignee is None


def test_only_the_assigned_coordinator_works_a_building_item(client, project):
    ebe, other = coordinator(), coordinator()
    it = building_item(project)
    services.item_plan(item=it, by=project.owner, assignee=ebe, due_date=None)
    client.force_login(other)
    assert client.post(reverse("phases:item_toggle", args=[project.pk, it.pk]), {"done": "1"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.item_set_done(item=it, by=other, done=True)


def test_somebody_outside_the_project_is_never_responsible(project):
    with pytest.raises(ValidationError):
        services.item_plan(item=building_item(project), by=project.owner, assignee=UserFactory(), due_date=None)
