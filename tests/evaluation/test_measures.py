import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from evaluation import selectors, services
from evaluation.models import Measure


def make(project, by, **kw):
    fields = {
        "focus_area": "Støy",
        "goal": "Mindre støy",
        "activity": "Absorbenter",
        "responsible": "Kari",
        "source": "evaluation",
    }
    fields.update(kw)
    return services.measure_create(project=project, by=by, **fields)


def test_measures_are_numbered_per_project(project, owner):
    assert [make(project, owner).number for _ in range(3)] == [1, 2, 3]


def test_a_dropped_measure_needs_a_reason(project, owner):
    with pytest.raises(ValidationError) as exc:
        make(project, owner, status=Measure.Status.DROPPED)
    assert "dropped_reason" in exc.value.message_dict
    m = make(project, owner)
    with pytest.raises(ValidationError):
        services.measure_update(measure=m, by=owner, status=Measure.Status.DROPPED)
    m = services.measure_update(measure=m, by=owner, status=Measure.Status.DROPPED, dropped_reason="Løst på annen måte")
    assert m.dropped_reason == "Løst på annen måte"


def test_risk_measures_are_accepted_as_source(project, owner):
    assert make(project, owner, source=Measure.Source.RISK).get_source_display()


@pytest.mark.parametrize(
    ("role", "sees"),
    [("owner", True), ("manager", True), ("safety_rep", True), ("union_rep", True), ("viewer", False),
     ("oh_service", False)],
)  # fmt: skip
def test_sensitive_measures_are_seen_only_by_the_named_roles(project, owner, role, sees):
    make(project, owner, sensitive=True, focus_area="Konflikt")
    make(project, owner)
    visible = [m.focus_area for m in selectors.visible_measures(user=getattr(project, role), project=project)]
    assert ("Konflikt" in visible) is sees
    assert "Støy" in visible


def test_coordinators_see_sensitive_measures(project, owner, coord):
    make(project, owner, sensitive=True)
    assert selectors.visible_measures(user=coord, project=project).count() == 1


def test_only_owner_and_manager_manage_measures(project):
    for person in (project.safety_rep, project.viewer):
        with pytest.raises(PermissionDenied):
            make(project, person)


def test_the_parties_priorities_are_recorded(project, owner, today):
    a, b = make(project, owner), make(project, owner)
    services.measures_prioritise(project=project, by=owner, priorities={a.pk: 1, b.pk: 3}, agreed_on=today)
    a.refresh_from_db()
    assert (a.priority, a.prioritised_on) == (1, today)
    with pytest.raises(ValidationError):
        services.measures_prioritise(
            project=project, by=owner, priorities={a.pk: 2}, agreed_on=today + datetime.timedelta(days=1)
        )


def test_the_history_never_shows_a_measure_marked_sensitive_later(client, project, owner, today):
    """An observer reads the project history; a measure marked sensitive after it was created leaves it whole."""
    from django.urls import reverse

    secret = make(project, owner, focus_area="Konflikt i arkivteamet")
    make(project, owner, focus_area="Skilt i stillesonen")
    client.force_login(project.viewer)
    assert "Konflikt i arkivteamet" in client.get(reverse("projects:history", args=[project.pk])).content.decode()
    services.measure_update(measure=secret, by=owner, status="planned", sensitive=True)
    history = client.get(reverse("projects:history", args=[project.pk])).content.decode()
    assert "Konflikt i arkivteamet" not in history and "Skilt i stillesonen" in history
