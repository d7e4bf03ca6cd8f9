"""Issue 28 point 1: the freeze's three kinds of change request, as the owner and the coordinator see them."""

from django.urls import reverse

from evaluation.models import ChangeRequest


def _post(client, project, category, what):
    return client.post(
        reverse("evaluation:change_request_create", args=[project.pk]),
        {"what": what, "why": "Behov", "category": category, "requested_by": "Mona", "requested_on": "15.03.2027"},
    )


def test_the_form_offers_three_kinds_and_the_page_states_the_rule(client, moved_in, project, owner):
    client.force_login(owner)
    form = client.get(reverse("evaluation:change_request_create", args=[project.pk])).content.decode()
    for label in ("Feilretting", "Justering innenfor konseptet", "Justering som svekker konseptet"):
        assert label in form
    page = client.get(reverse("evaluation:overview", args=[project.pk])).content.decode()
    assert "justeringer innenfor konseptet kan gjøres" in page
    assert "justeringer som svekker konseptet venter til evalueringen" in page


def test_the_owner_logs_each_kind_and_only_the_weakening_one_waits(client, moved_in, project, owner):
    client.force_login(owner)
    for category, what in (("fault_fix", "Lampe"), ("adjustment", "Flere skjermer"), ("weakening", "Stillerom")):
        assert _post(client, project, category, what).status_code == 302
    status = dict(ChangeRequest.objects.filter(project=project).values_list("what", "status"))
    assert status == {"Lampe": "go_ahead", "Flere skjermer": "go_ahead", "Stillerom": "deferred"}
    page = client.get(reverse("evaluation:overview", args=[project.pk])).content.decode()
    deferred = page.split('id="deferred-heading"', 1)[1].split("</section>", 1)[0]
    assert "Stillerom" in deferred and "Flere skjermer" not in deferred
    weakening = ChangeRequest.objects.get(what="Stillerom")
    approve = reverse("evaluation:change_request_approve", args=[project.pk, weakening.pk])
    assert approve not in page  # the owner may not approve
    assert client.post(approve, {"reason": "Vi vil"}).status_code == 403


def test_the_coordinator_approves_a_weakening_adjustment_with_a_reason(client, moved_in, project, owner, coord):
    client.force_login(owner)
    _post(client, project, "weakening", "Stillerom")
    weakening = ChangeRequest.objects.get(what="Stillerom")
    client.force_login(coord)
    approve = reverse("evaluation:change_request_approve", args=[project.pk, weakening.pk])
    assert approve in client.get(reverse("evaluation:overview", args=[project.pk])).content.decode()
    refused = client.post(approve, {"reason": ""})
    assert refused.status_code == 400  # the form again, with the error at the field
    weakening.refresh_from_db()
    assert weakening.status == ChangeRequest.Status.DEFERRED
    assert client.post(approve, {"reason": "Brannkrav"}).status_code == 302
    weakening.refresh_from_db()
    assert (weakening.status, weakening.approval_reason, weakening.approved_by) == ("approved", "Brannkrav", coord)
