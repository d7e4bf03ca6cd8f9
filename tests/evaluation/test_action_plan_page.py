"""The HMS action plan has a page of its own before move-in (the seven steps never record one): reached from the
project page's tab, with the same permissions and sensitivity rules as on the Evaluering tab."""

import datetime
import re

import pytest
from django.urls import reverse

from evaluation import services
from evaluation.models import Measure
from participation.models import Step
from participation.services import step_send
from phases.services import process_start, template_load_file
from projects.models import Role
from tests.conftest import TEMPLATE_DIR
from tests.factories import ProjectFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def seven_steps(project, owner):
    template = template_load_file(path=TEMPLATE_DIR / "aml_seven_steps.toml")[0]
    process_start(project=project, template=template, by=owner)
    project.working_group = member(project, Role.MEMBER, full_name="Mona Medlem")
    return project


def _measure(project, by, **kw):
    fields = {"focus_area": "Støy i landskapet", "goal": "Ro", "activity": "Stillerom", "responsible": "Kari Eier",
              "source": "evaluation"}  # fmt: skip
    return services.measure_create(project=project, by=by, **{**fields, **kw})


def _link(html, text):
    """The href of the link whose text is `text` (what a user clicks)."""
    found = re.findall(r'<a [^>]*href="([^"]+)"[^>]*>\s*(?:<i [^>]*></i>\s*)?' + re.escape(text) + r"\s*</a>", html)
    assert found, f"no link «{text}»"
    return found[0].replace("&amp;", "&")


def test_the_owner_clicks_from_the_project_page_to_the_plan_and_adds_a_measure(client, seven_steps, owner):
    client.force_login(owner)
    project_page = client.get(reverse("projects:detail", args=[seven_steps.pk])).content.decode()
    plan_url = _link(project_page, "HMS-handlingsplan")
    assert plan_url == reverse("evaluation:measures", args=[seven_steps.pk])
    plan = client.get(plan_url).content.decode()
    assert "Ingen tiltak ennå" in plan

    form_url = _link(plan, "Legg til tiltak")
    assert client.get(form_url).status_code == 200
    response = client.post(
        form_url,
        {"focus_area": "Arbeidsmiljø i teamet", "goal": "Bedre samarbeid", "activity": "Faste teammøter",
         "responsible": "Kari Eier", "status": "planned", "source": "evaluation"},
    )  # fmt: skip
    assert response.status_code == 302 and response.url == plan_url  # back to the plan, not a 404 Evaluering tab
    plan = client.get(plan_url).content.decode()
    assert "Arbeidsmiljø i teamet" in plan and "Faste teammøter" in plan
    assert Measure.objects.get(project=seven_steps).number == 1
    # The form's crumbs lead to the plan too (the Evaluering tab does not exist without a move-in).
    assert f'href="{plan_url}"' in client.get(form_url).content.decode()


def test_a_member_who_may_not_see_sensitive_measures_sees_only_the_others(client, seven_steps, owner):
    _measure(seven_steps, owner)
    _measure(seven_steps, owner, focus_area="Konflikt i seksjon B", activity="Samtaler med de involverte",
             sensitive=True)  # fmt: skip
    url = reverse("evaluation:measures", args=[seven_steps.pk])
    for person in (seven_steps.working_group, seven_steps.viewer, seven_steps.oh_service):
        client.force_login(person)
        project_page = client.get(reverse("projects:detail", args=[seven_steps.pk])).content.decode()
        assert _link(project_page, "HMS-handlingsplan") == url
        html = client.get(url).content.decode()
        assert "Støy i landskapet" in html
        assert "Konflikt i seksjon B" not in html and "Samtaler med de involverte" not in html
        assert "Legg til tiltak" not in html and "Registrer prioritering" not in html
    for person in (seven_steps.safety_rep, seven_steps.union_rep):
        client.force_login(person)
        html = client.get(url).content.decode()
        assert "Konflikt i seksjon B" in html and "Sensitivt" in html
        assert "Legg til tiltak" not in html  # the owner and manager keep the plan


def test_people_outside_the_project_get_404(client, seven_steps, owner, hr):
    _measure(seven_steps, owner)
    other = ProjectFactory()
    outsider = member(other, Role.OWNER)
    url = reverse("evaluation:measures", args=[seven_steps.pk])
    for person in (outsider, hr):
        client.force_login(person)
        assert client.get(url).status_code == 404


def test_from_move_in_the_plan_is_on_the_evaluering_tab(client, project, owner, moved_in):
    _measure(project, owner)
    client.force_login(owner)
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "HMS-handlingsplan</a>" not in page  # no second tab
    tab = client.get(_link(page, "Evaluering")).content.decode()
    assert "Støy i landskapet" in tab
    # An old link to the plan's page still shows it, and points to the tab.
    html = client.get(reverse("evaluation:measures", args=[project.pk])).content.decode()
    assert "Støy i landskapet" in html and reverse("evaluation:overview", args=[project.pk]) in html


def test_the_prioritisation_step_opens_the_plan(client, seven_steps, owner, today):
    noise = _measure(seven_steps, owner)
    services.measures_prioritise(project=seven_steps, by=owner, priorities={noise.pk: 1}, agreed_on=today)
    step = step_send(step=Step.objects.get(project=seven_steps, kind="prioritisation"), by=owner)
    for person in (owner, seven_steps.safety_rep, seven_steps.working_group):
        client.force_login(person)
        html = client.get(reverse("participation:step", args=[seven_steps.pk, step.pk])).content.decode()
        response = client.get(_link(html, "Åpne dokumentet slik det er nå"))
        assert response.status_code == 302, person  # a member got 404 while the plan was on the Evaluering tab only
        assert response.url == reverse("evaluation:measures", args=[seven_steps.pk])


def test_the_plan_page_reads_a_fixed_number_of_queries(client, seven_steps, owner, django_assert_max_num_queries):
    for n in range(5):
        _measure(seven_steps, owner, focus_area=f"Område {n}", due_date=datetime.date(2027, 5, n + 1))
    client.force_login(owner)
    url = reverse("evaluation:measures", args=[seven_steps.pk])
    client.get(url)
    with django_assert_max_num_queries(14):  # the plan-level goals: one more
        assert client.get(url).status_code == 200
