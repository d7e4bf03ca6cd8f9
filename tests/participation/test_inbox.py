import datetime

import pytest
import time_machine
from django.urls import reverse

from participation import services
from phases import services as phase_services
from projects.models import Role
from tests.factories import MembershipFactory, ProjectFactory, UserFactory, member
from tests.participation.conftest import prepare_steps, revise

pytestmark = pytest.mark.django_db


def test_inbox_shows_exactly_the_steps_waiting_for_this_person(client, project, steps_template):
    rep = project.safety_rep
    other = ProjectFactory(name="Et annet prosjekt")
    phase_services.process_start(project=other, template=steps_template, by=member(other, Role.OWNER))
    client.force_login(rep)
    page = client.get(reverse("participation:inbox"))
    waiting = [entry.step.key for entry in page.context["waiting"]]
    # The safety rep is required on the mandate consultation and the risk step, not on the house rules.
    assert waiting == ["mandate-consultation", "risk"]
    assert all(entry.step.project_id == project.pk for entry in page.context["waiting"])
    assert "Et annet prosjekt" not in page.content.decode()


def test_the_owner_who_opens_the_inbox_sees_nothing_waiting_in_their_own_project(client, project, step):
    """Steps wait in the owner's project, but for the representatives' roles: the owner, who may not sign for
    them, finds nothing waiting and no decisions, while the safety rep finds both steps."""
    services.signoff_record(step=step, by=project.union_rep, decision="approved")
    client.force_login(project.owner)
    page = client.get(reverse("participation:inbox"))
    assert page.status_code == 200
    assert list(page.context["waiting"]) == [] and list(page.context["signed"]) == []
    assert "Ingenting venter på din godkjenning." in page.content.decode()
    client.force_login(project.safety_rep)
    assert [e.step.key for e in client.get(reverse("participation:inbox")).context["waiting"]] == [
        "mandate-consultation",
        "risk",
    ]


def test_signed_step_leaves_the_waiting_list(client, project, step):
    services.signoff_record(step=step, by=project.safety_rep, decision="approved")
    client.force_login(project.safety_rep)
    page = client.get(reverse("participation:inbox"))
    assert [e.step.key for e in page.context["waiting"]] == ["risk"]
    assert [s.step.key for s in page.context["signed"]] == ["mandate-consultation"]


def test_a_step_met_by_another_holder_of_the_role_is_not_waiting(client, project, step):
    second = member(project, Role.UNION_REP)
    services.signoff_record(step=step, by=project.union_rep, decision="approved")
    client.force_login(second)
    page = client.get(reverse("participation:inbox"))
    assert [e.step.key for e in page.context["waiting"]] == ["house-rules"]


def test_oldest_first(client, project, step):
    risk = project.participation_steps.get(key="risk")
    with time_machine.travel("2027-03-01 10:00 +01:00"):
        revise(step, project.owner, "Ny versjon")
    with time_machine.travel("2027-02-01 10:00 +01:00"):
        revise(risk, project.owner, "Ny versjon")
    client.force_login(project.safety_rep)
    waiting = client.get(reverse("participation:inbox")).context["waiting"]
    assert [e.step.key for e in waiting] == ["risk", "mandate-consultation"]


def test_outdated_signoff_returns_marked_and_the_step_shows_what_changed(client, project, step):
    revise(step, project.owner, "Ramme 2 000 000 kr")
    step.refresh_from_db()
    services.signoff_record(step=step, by=project.safety_rep, decision="approved")
    revise(step, project.owner, "Ramme 2 500 000 kr")
    client.force_login(project.safety_rep)
    page = client.get(reverse("participation:inbox"))
    entry = next(e for e in page.context["waiting"] if e.step.key == step.key)
    assert entry.previous is not None and entry.previous.step_version < entry.step.version
    html = page.content.decode()
    assert "Endret siden du signerte" in html
    assert "Ramme 2 000 000 kr" not in html  # the difference is computed where the step is opened
    opened = client.get(reverse("participation:step", args=[project.pk, step.pk]))
    assert [(c.label, c.before, c.after) for c in opened.context["changes"]] == [
        ("Sammendrag", "Ramme 2 000 000 kr", "Ramme 2 500 000 kr")
    ]


def test_inbox_link_shows_the_count_to_representatives(client, project):
    client.force_login(project.safety_rep)
    html = client.get(reverse("projects:mine")).content.decode()
    assert "Til godkjenning" in html
    client.force_login(project.owner)
    assert "Til godkjenning" not in client.get(reverse("projects:mine")).content.decode()


def test_plan_shows_roles_persons_and_gaps(client, project):
    client.force_login(project.owner)
    html = client.get(reverse("participation:plan", args=[project.pk])).content.decode()
    assert "Siri Verne" in html and "aml. § 6-5" in html
    assert "Ingen har rollen «Arbeidsmiljøutvalget (AMU)» i dette prosjektet." in html
    overview = client.get(project.get_absolute_url()).content.decode()
    assert "Ingen har rollen «Arbeidsmiljøutvalget (AMU)» i dette prosjektet." in overview


def test_waiting_is_paged_at_50_oldest_first_and_the_count_covers_all(client, steps_template):
    rep = UserFactory(full_name="Siri Verne")
    for i in range(26):  # two steps wait for the safety rep in each project: 52 in all
        other = ProjectFactory(name=f"Prosjekt {i:02d}")
        other.owner = member(other, Role.OWNER)
        MembershipFactory(project=other, user=rep, role=Role.SAFETY_REP)
        phase_services.process_start(project=other, template=steps_template, by=other.owner)
        with time_machine.travel(datetime.datetime(2027, 1, 1, 12, tzinfo=datetime.UTC) + datetime.timedelta(days=i)):
            prepare_steps(other)
    client.force_login(rep)
    first = client.get(reverse("participation:inbox"))
    assert first.context["waiting"].paginator.count == 52
    assert len(first.context["waiting"]) == 50
    assert first.context["waiting"][0].step.project.name == "Prosjekt 00"
    assert "52 steg venter på deg" in first.content.decode()
    assert '<span class="badge rounded-pill text-bg-warning">52<' in first.content.decode()
    second = client.get(reverse("participation:inbox") + "?page=2")
    assert [e.step.project.name for e in second.context["waiting"]] == ["Prosjekt 25", "Prosjekt 25"]


def test_signed_steps_filter_by_project_and_decision(client, project, steps_template):
    rep = project.safety_rep
    other = ProjectFactory(name="Kultur flytter", case_number="2027/77")
    MembershipFactory(project=other, user=rep, role=Role.SAFETY_REP)
    other.owner = member(other, Role.OWNER)
    phase_services.process_start(project=other, template=steps_template, by=other.owner)
    prepare_steps(other)
    for p in (project, other):
        consultation = p.participation_steps.get(key="mandate-consultation")
        services.signoff_record(step=consultation, by=rep, decision="approved")
        risk = p.participation_steps.get(key="risk")
        services.signoff_record(step=risk, by=rep, decision="objection", text="Skjerming mangler.")
    client.force_login(rep)
    url = reverse("participation:inbox")

    def signed(query):
        return sorted((s.step.project.name, s.step.key) for s in client.get(url + query).context["signed"])

    assert len(signed("")) == 4
    assert signed("?project=kultur") == [("Kultur flytter", "mandate-consultation"), ("Kultur flytter", "risk")]
    assert signed("?project=2027/77&decision=objection") == [("Kultur flytter", "risk")]
    assert signed("?decision=objection") == [("Kultur flytter", "risk"), ("Økonomi flytter", "risk")]
    html = client.get(url + "?project=finnes-ikke").content.decode()
    assert "Ingenting du har signert passer med filteret." in html
    # A decision edited into the address that does not exist is named in the form; the project filter still applies.
    response = client.get(url + "?project=kultur&decision=godkjent-kanskje")
    assert sorted(s.step.key for s in response.context["signed"]) == ["mandate-consultation", "risk"]
    html = response.content.decode()
    assert 'aria-describedby="decision-error"' in html and 'id="decision-error"' in html
    assert "Velg et gyldig valg" in html


def _safety_rep_who_signed_everything_in_two_projects(project, steps_template):
    """The project's safety rep, also safety rep of "Kultur flytter", having approved every step of both that
    asks for a safety rep (four decisions with the test template)."""
    rep = project.safety_rep
    second = ProjectFactory(name="Kultur flytter", start_date=datetime.date(2027, 1, 4))
    second.owner = member(second, Role.OWNER)
    MembershipFactory(project=second, user=rep, role=Role.SAFETY_REP)
    phase_services.process_start(project=second, template=steps_template, by=second.owner)
    prepare_steps(second)
    for p in (project, second):
        for step in p.participation_steps.filter(required_roles__icontains='"safety_rep"'):
            services.signoff_record(step=step, by=rep, role=Role.SAFETY_REP, decision="approved")
    return rep


def _decision_pages(client, project, steps_template):
    """The inbox's decision pages 1, 2, 9 (past the end) and x (not a number) as that safety rep sees them."""
    client.force_login(_safety_rep_who_signed_everything_in_two_projects(project, steps_template))
    url = reverse("participation:inbox")
    return {n: client.get(url, {"signed_page": n}) for n in ("1", "2", "9", "x")}


def test_your_decisions_are_paged_with_their_total(client, project, steps_template, settings):
    """The list of decisions reads its total with its rows; a page past the end shows the last page."""
    settings.PAGINATE_BY = 2
    pages = _decision_pages(client, project, steps_template)
    html = pages["1"].content.decode()
    assert "4 steg" in html and "Side 1 av 2" in html
    assert len(pages["1"].context["signed"]) == 2 and len(pages["2"].context["signed"]) == 2
    first_two = {s.pk for s in pages["1"].context["signed"]}
    assert first_two.isdisjoint(s.pk for s in pages["2"].context["signed"])
    assert [s.pk for s in pages["9"].context["signed"]] == [s.pk for s in pages["2"].context["signed"]]
    assert pages["9"].context["signed"].number == 2 and pages["x"].context["signed"].number == 1


def test_beyond_the_counted_decisions_the_list_says_more_than_and_pages_on(
    client, project, steps_template, settings, monkeypatch
):
    """A representative with more decisions than the inbox counts (1 000; here 3) reads "more than 3" and pages
    on without a total, each page distinct, the last with no "next"; a page past the end shows the last page;
    a filter that leaves at most the counted number gives the exact total again."""
    from participation import views

    monkeypatch.setattr(views, "SIGNED_COUNTED", 3)
    settings.PAGINATE_BY = 2
    pages = _decision_pages(client, project, steps_template)
    html = pages["1"].content.decode()
    assert "Mer enn 3 steg" in html and "Side 1" in html and "Side 1 av" not in html
    assert "signed_page=2" in html and "signed_page=0" not in html
    one, two = ([s.pk for s in pages[n].context["signed"]] for n in ("1", "2"))
    assert len(one) == 2 and len(two) == 2 and not set(one) & set(two)
    last = pages["2"].content.decode()
    assert "Side 2" in last and "signed_page=1" in last and "signed_page=3" not in last
    assert [s.pk for s in pages["9"].context["signed"]] == two and pages["x"].context["signed"].number == 1
    filtered = client.get(reverse("participation:inbox"), {"project": "kultur"}).content.decode()
    assert "2 steg" in filtered and "Mer enn" not in filtered


def test_the_waiting_lists_pages_keep_the_decisions_page_as_shown(
    client, project, steps_template, settings, monkeypatch
):
    """A decisions page typed past the end shows the last page; the waiting list's links carry that page, not the
    typed number (which would count every decision again on each click)."""
    from participation import views

    monkeypatch.setattr(views, "SIGNED_COUNTED", 1)
    settings.PAGINATE_BY = 1
    rep = project.safety_rep
    for step in project.participation_steps.filter(required_roles__icontains='"safety_rep"'):
        services.signoff_record(step=step, by=rep, role=Role.SAFETY_REP, decision="approved")
    second = ProjectFactory(name="Kultur flytter", start_date=datetime.date(2027, 1, 4))
    second.owner = member(second, Role.OWNER)
    MembershipFactory(project=second, user=rep, role=Role.SAFETY_REP)
    phase_services.process_start(project=second, template=steps_template, by=second.owner)
    prepare_steps(second)
    client.force_login(rep)
    response = client.get(reverse("participation:inbox"), {"signed_page": "99999"})
    shown = response.context["signed"].number
    assert 1 < shown < 99999
    assert f"signed_page={shown}" in response.context["waiting_query"]
    assert "99999" not in response.context["waiting_query"]
