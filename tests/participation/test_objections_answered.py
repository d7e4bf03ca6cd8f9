"""Issue 24 point 4: an objection followed by the same signer's later decision on the step shows as answered, and
the project's count, the overview's column, filter and attention list count only the live ones."""

import pytest
from django.urls import reverse

from participation import selectors
from participation.models import ParticipationRollup
from participation.services import signoff_record
from tests.factories import coordinator
from tests.participation.conftest import revise


def sign(step, person, decision, text=""):
    step.refresh_from_db()
    return signoff_record(step=step, by=person, decision=decision, text=text, content_hash=step.content_hash)


@pytest.fixture
def answered(project, step):
    """Both representatives object to version 1, then approve version 2: the situation in the issue."""
    sign(step, project.safety_rep, "objection", "Ingen stillerom i planen.")
    sign(step, project.union_rep, "objection", "Drøftingen kom for sent.")
    step = revise(step, project.owner, "Stillerom lagt inn; nytt drøftingsmøte holdt.")
    sign(step, project.safety_rep, "approved")
    sign(step, project.union_rep, "approved_with_remarks", "Godt nok nå.")
    return step


def test_answered_objections_are_not_counted_on_the_project(project, answered):
    assert ParticipationRollup.objects.get(project=project).objections == 0
    assert selectors.live_objections().filter(step__project=project).count() == 0
    view = next(v for v in selectors.project_steps(project=project) if v.step.pk == answered.pk)
    assert len(view.objections) == 2 and view.live_objections == []
    assert [later.decision for _s, later in view.answered_objections] == ["approved", "approved_with_remarks"]


def test_a_new_objection_on_a_later_version_is_the_live_one(project, answered):
    step = revise(answered, project.owner, "Tredje utgave.")
    sign(step, project.union_rep, "objection", "Nå mangler garderobene.")
    assert ParticipationRollup.objects.get(project=project).objections == 1
    live = selectors.live_objections().filter(step__project=project)
    assert [s.text for s in live] == ["Nå mangler garderobene."]


def test_another_persons_later_decision_does_not_answer_an_objection(project, step):
    sign(step, project.safety_rep, "objection", "Ingen stillerom i planen.")
    step = revise(step, project.owner, "Ny versjon.")
    sign(step, project.union_rep, "approved")
    assert ParticipationRollup.objects.get(project=project).objections == 1


def test_the_overview_shows_only_live_objections_in_red_and_names_the_answered(client, project, answered):
    client.force_login(project.owner)
    html = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "Drøftingen kom for sent." not in html.split("<details")[0]  # no red box before the answered list
    assert "2 protokolltilførsler besvart med en senere avgjørelse" in html
    # The step page marks each answered objection.
    page = client.get(reverse("participation:step", args=[project.pk, answered.pk])).content.decode()
    assert page.count("Besvart") == 2


def test_the_coordinators_overview_counts_only_live_objections(client, project, answered, step):
    client.force_login(coordinator())
    overview = reverse("dashboard:overview")
    keys = [a.key for e in client.get(overview).context["attention"] for a, _text in e.reasons]
    assert "objections" not in keys
    assert client.get(overview + "?objections=yes").context["numbers"]["total"] == 0
    other = project.participation_steps.get(key="risk")
    sign(other, project.safety_rep, "objection", "Risikoen for støy er undervurdert.")
    reasons = [(a.key, text) for e in client.get(overview).context["attention"] for a, text in e.reasons]
    assert [text[:2] for key, text in reasons if key == "objections"] == ["1 "]
    assert client.get(overview + "?objections=yes").context["numbers"]["total"] == 1


def test_a_signer_on_a_phone_jumps_straight_to_the_decision(client, project, step):
    """Issue 24 point 3: the form sits below the content on a small screen; the page opens with a link to it for
    whoever may sign, and only for them."""
    client.force_login(project.safety_rep)
    html = client.get(reverse("participation:step", args=[project.pk, step.pk])).content.decode()
    assert 'href="#sign-heading"' in html and 'id="sign-heading"' in html and "Gå til din avgjørelse" in html
    sign(step, project.safety_rep, "approved")
    html = client.get(reverse("participation:step", args=[project.pk, step.pk])).content.decode()
    assert 'href="#sign-heading"' not in html  # signed: nothing left to jump to
    client.force_login(project.owner)
    assert (
        'href="#sign-heading"'
        not in client.get(reverse("participation:step", args=[project.pk, step.pk])).content.decode()
    )
