"""The Dokumenter tab and the document pages: what each role sees, the activity link, query counts."""

import pytest
from django.urls import reverse

from workproducts.services import workproduct_row_save, workproduct_set_state, workproduct_start

pytestmark = pytest.mark.django_db


def test_documents_tab_lists_each_work_product_with_state_and_version(client, doc_project):
    wp = workproduct_start(project=doc_project, kind="mandate", by=doc_project.owner)
    workproduct_row_save(
        work_product=wp, section="milestones", by=doc_project.owner, data={"name": "Innflytting", "date": "2027-09-01"}
    )
    workproduct_set_state(work_product=wp, by=doc_project.owner, state="consultation")
    client.force_login(doc_project.union_rep)
    response = client.get(reverse("workproducts:list", args=[doc_project.pk]))
    assert response.status_code == 200
    entries = {e.kind.key: e for e in response.context["entries"]}
    assert list(entries) == [
        "goals", "mandate", "risk_assessment", "information_plan", "ict_plan", "mapping", "needs_goals",
        "area_programme", "zone_programme", "floor_plan", "implementation_plan", "house_rules",
    ]  # fmt: skip
    assert entries["mandate"].work_product.state == "consultation" and entries["mandate"].work_product.version == 2
    assert entries["goals"].work_product is None
    page = response.content.decode()
    assert "Sendt på drøfting" in page and "Ikke startet" in page
    assert f'href="/projects/{doc_project.pk}/work-products/"' in page  # the tab itself


def test_the_activity_page_links_to_its_document(client, doc_project):
    activity = doc_project.phases.get(order=1).activities.get(key="risk-assessment")
    client.force_login(doc_project.oh)
    page = client.get(reverse("phases:activity", args=[doc_project.pk, activity.pk])).content.decode()
    assert reverse("workproducts:detail", args=[doc_project.pk, "risk_assessment"]) in page
    assert "Åpne dokumentet" in page


def test_unknown_kind_or_kind_outside_the_process_is_404(client, doc_project):
    client.force_login(doc_project.owner)
    assert client.get(reverse("workproducts:detail", args=[doc_project.pk, "spaceship"])).status_code == 404
    # a kind of another template (the seven steps' report) is outside this process
    assert client.get(reverse("workproducts:detail", args=[doc_project.pk, "survey_report"])).status_code == 404
    # the evaluation is declared by this template: before the move-in its page says where it will be (issue 28)
    page = client.get(reverse("workproducts:detail", args=[doc_project.pk, "evaluation"]))
    assert page.status_code == 200 and "innflyttingen er registrert" in page.content.decode()


def _hazards(project, n):
    wp = workproduct_start(project=project, kind="risk_assessment", by=project.owner)
    for i in range(n):
        workproduct_row_save(
            work_product=wp, section="hazards", by=project.owner,
            data={"description": f"Fare {i}", "exposed": "Alle", "likelihood": 1 + i % 5, "consequence": 1 + i % 3,
                  "responsible": project.manager},
        )  # fmt: skip


@pytest.mark.parametrize("n", [2, 25])
def test_risk_page_queries_are_fixed(client, doc_project, django_assert_max_num_queries, n):
    _hazards(doc_project, n)
    client.force_login(doc_project.owner)
    # +1: the bell, +1: the HMS measures the hazards became, +1: the attached files (issue 28)
    with django_assert_max_num_queries(19):
        assert client.get(reverse("workproducts:detail", args=[doc_project.pk, "risk_assessment"])).status_code == 200


@pytest.mark.parametrize("n", [2, 25])
def test_documents_tab_queries_are_fixed(client, doc_project, django_assert_max_num_queries, n):
    _hazards(doc_project, n)
    workproduct_start(project=doc_project, kind="mandate", by=doc_project.owner)
    client.force_login(doc_project.owner)
    with django_assert_max_num_queries(17):  # +1: the bell
        assert client.get(reverse("workproducts:list", args=[doc_project.pk])).status_code == 200


def test_wrong_order_form_flow_is_refused(client, doc_project):
    from tests.factories import coordinator
    from workproducts.models import Goals, OrderService

    wp = workproduct_start(project=doc_project, kind="goals", by=doc_project.owner)
    client.force_login(doc_project.owner)
    response = client.post(reverse("workproducts:order_send", args=[doc_project.pk]), follow=True)
    assert "Velg minst én tjeneste" in response.content.decode()
    from workproducts.services import workproduct_save

    workproduct_save(work_product=wp, by=doc_project.owner, data={"order_services": [OrderService.objects.first()]})
    client.post(reverse("workproducts:order_send", args=[doc_project.pk]))
    assert Goals.objects.get(work_product=wp).order_state == "sent"
    boss = coordinator()
    client.force_login(boss)
    response = client.post(reverse("workproducts:order_accept", args=[doc_project.pk]), {"accepted_on": "2999-01-01"})
    assert response.status_code == 400 and "accepted_on" in response.context["form"].errors
    from django.utils import timezone

    today = timezone.localdate().isoformat()
    assert (
        client.post(reverse("workproducts:order_accept", args=[doc_project.pk]), {"accepted_on": today}).status_code
        == 302
    )
    goals = Goals.objects.get(work_product=wp)
    assert goals.order_state == "accepted" and goals.order_accepted_by == boss
