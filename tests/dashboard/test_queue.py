"""What waits for a coordinator opens *Oversikt*, with its count on the top bar's *Oversikt*: order forms sent to
EBE, adjustments waiting for approval, projects without an owner (hook `coordinator_queue`). Each leaves the list
when it is handled, and the list costs the same number of queries however much waits."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from evaluation import services as evaluation_services
from evaluation.models import ChangeRequest
from phases.services import process_start
from projects import services as project_services
from projects.models import Membership, Project, Role
from tests.factories import ProjectFactory, UserFactory, coordinator, member
from workproducts import services as workproduct_services
from workproducts.models import Goals, OrderService, WorkProduct

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2027, 3, 15, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(NOW, tick=False):
        yield


def _order_sent(project, owner, bergen_template):
    process_start(project=project, template=bergen_template, by=owner)
    wp = workproduct_services.workproduct_start(project=project, kind="goals", by=owner)
    goals = Goals.objects.get(work_product=wp)
    goals.order_services.add(OrderService.objects.get_or_create(name="Arealplanlegging")[0])
    workproduct_services.order_send(work_product=wp, by=owner)
    return wp


def _deferred_adjustment(project, owner, what):
    evaluation_services.movein_record(
        early_confirmed=True, project=project, by=owner, move_in=datetime.date(2026, 12, 1)
    )
    return evaluation_services.change_request_log(
        project=project, by=owner, what=what, why="Det trengs", category=ChangeRequest.Category.WEAKENING,
        requested_by="Mona",
    )  # fmt: skip


def _queue(html):
    """The names of the projects listed in the queue, by kind (its heading)."""
    section = html.split('id="queue-heading"', 1)[1].split("</section>", 1)[0]
    groups = {}
    for part in section.split('<h3 class="h6 mt-3">')[1:]:
        heading = part.split(" <span", 1)[0].strip()
        groups[heading] = re.findall(r'class="fw-semibold">([^<]+)</a>', part)
    return groups


def _nav_count(html):
    link = re.search(r'href="/projects/overview/">Oversikt(.*?)</a>', html).group(1)
    found = re.search(r"badge[^>]*>(\d+)<", link)
    return int(found.group(1)) if found else 0


def test_the_queue_lists_exactly_what_waits_and_empties_as_each_is_handled(client, bergen_template):
    coord = coordinator()
    ordered = ProjectFactory(name="Bestilling sendt", start_date=datetime.date(2027, 1, 4))
    ordered_owner = member(ordered, Role.OWNER)
    wp = _order_sent(ordered, ordered_owner, bergen_template)
    adjusted = ProjectFactory(name="Justering utsatt", start_date=datetime.date(2026, 1, 5))
    adjusted_owner = member(adjusted, Role.OWNER)
    deferred = _deferred_adjustment(adjusted, adjusted_owner, "Flytte reolen")
    evaluation_services.change_request_log(  # a fault fix goes ahead at once: nothing waits
        project=adjusted, by=adjusted_owner, what="Lekkasje", why="Vann", category=ChangeRequest.Category.FAULT_FIX,
        requested_by="Mona",
    )  # fmt: skip
    ownerless = ProjectFactory(name="Uten eier")
    leaver = member(ownerless, Role.OWNER)
    Membership.objects.filter(project=ownerless, user=leaver).delete()  # the owner left (as the admin does it)
    closed = ProjectFactory(name="Avsluttet uten eier", status=Project.Status.COMPLETED)
    assert not closed.memberships.exists()

    client.force_login(coord)
    html = client.get(reverse("dashboard:overview")).content.decode()
    assert _queue(html) == {
        "Bestillingsskjema sendt til EBE": ["Bestilling sendt"],
        "Justeringer som venter på godkjenning": ["Justering utsatt"],
        "Prosjekter uten prosjekteier": ["Uten eier"],
    }
    assert _nav_count(html) == 3
    assert _nav_count(client.get(reverse("projects:mine")).content.decode()) == 3  # on every page

    workproduct_services.order_accept(work_product=wp, by=coord, accepted_on=timezone.localdate())
    html = client.get(reverse("dashboard:overview")).content.decode()
    assert list(_queue(html)) == ["Justeringer som venter på godkjenning", "Prosjekter uten prosjekteier"]
    assert _nav_count(html) == 2

    evaluation_services.change_request_approve(change_request=deferred, by=coord, reason="Sikkerhet")
    html = client.get(reverse("dashboard:overview")).content.decode()
    assert list(_queue(html)) == ["Prosjekter uten prosjekteier"]
    assert _nav_count(html) == 1

    project_services.membership_add(project=ownerless, user=UserFactory(), role=Role.OWNER, by=coord)
    html = client.get(reverse("dashboard:overview")).content.decode()
    assert _queue(html) == {}
    assert "Ingenting venter på en koordinator." in html
    assert _nav_count(html) == 0


def test_only_coordinators_see_the_queue_and_its_count(client):
    project = ProjectFactory(name="Uten eier")
    viewer = member(project, Role.VIEWER)
    client.force_login(viewer)
    html = client.get(reverse("projects:mine")).content.decode()
    assert "/projects/overview/" not in html
    assert client.get(reverse("dashboard:overview")).status_code == 403


def _waiting(n, activity):
    """n of each kind waiting, written directly (the services are exercised above)."""
    for i in range(n):
        p = ProjectFactory(name=f"Eierløs {i}")
        o = ProjectFactory(name=f"Bestilt {i}")
        member(o, Role.OWNER)
        wp = WorkProduct.objects.create(project=o, activity=activity, kind="goals")
        Goals.objects.create(work_product=wp, order_state=Goals.OrderState.SENT, order_sent_at=timezone.now())
        ChangeRequest.objects.create(
            project=o, what=f"Endring {i}", why="-", category=ChangeRequest.Category.WEAKENING, requested_by="Mona",
            during_freeze=True, status=ChangeRequest.Status.DEFERRED, logged_by=p.created_by,
        )  # fmt: skip


@pytest.mark.parametrize("n", [2, 25])
def test_the_queue_costs_the_same_at_any_size(client, bergen_template, n, django_assert_num_queries):
    from phases.models import Activity

    coord = coordinator()
    base = ProjectFactory(name="Mal")
    member(base, Role.OWNER)
    process_start(project=base, template=bergen_template, by=base.memberships.get().user)
    _waiting(n, Activity.objects.filter(project=base, work_product="goals").first())
    client.force_login(coord)
    client.get(reverse("dashboard:overview"))
    # The overview's own queries and the queue's: its counts in one query, the rows of each of the three kinds.
    with django_assert_num_queries(QUEUE_OVERVIEW_QUERIES):
        html = client.get(reverse("dashboard:overview")).content.decode()
    assert _nav_count(html) == 3 * n
    assert {k: len(v) for k, v in _queue(html).items()} == {
        "Bestillingsskjema sendt til EBE": min(n, 10),
        "Justeringer som venter på godkjenning": min(n, 10),
        "Prosjekter uten prosjekteier": min(n, 10),
    }
    with django_assert_num_queries(OTHER_PAGE_QUERIES):  # any other page: the count, one query
        client.get(reverse("projects:mine"))


QUEUE_OVERVIEW_QUERIES = 17
OTHER_PAGE_QUERIES = 10
