"""Deputies (issue 28 point 6): a representative's deputy for a period opens the project and signs in their place,
only inside the period; the sign-off says "as deputy for" and keeps counting for the role after the period; the
employer's side is never a deputy; the representative or a coordinator names one."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from participation import selectors, services
from participation.models import SignOff
from projects import services as project_services
from projects.models import Deputy, Role
from tests.factories import UserFactory, coordinator
from tests.participation.test_protocol import pdf_text, protocol_generate
from tests.participation.test_signoff import sign

pytestmark = pytest.mark.django_db

JULY_1, JULY_14 = datetime.date(2027, 7, 1), datetime.date(2027, 7, 14)


def on(day):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(10, 0), tzinfo=datetime.UTC), tick=False)


@pytest.fixture
def deputy(project):
    """Vera is the safety representative's deputy for the first two weeks of July 2027."""
    vera = UserFactory(full_name="Vera Vikar")
    with on(datetime.date(2027, 6, 20)):
        project_services.deputy_set(
            project=project, principal=project.safety_rep, role=Role.SAFETY_REP, deputy=vera,
            starts=JULY_1, ends=JULY_14, by=project.safety_rep,
        )  # fmt: skip
    return vera


def safety_met(step):
    step.refresh_from_db()
    view = selectors.step_view(step)
    return next(r for r in view.roles if r.role == Role.SAFETY_REP).current is not None


def test_deputy_signs_only_inside_the_period(client, project, step, deputy):
    for day in (datetime.date(2027, 6, 30), datetime.date(2027, 7, 15)):
        with on(day):
            client.force_login(deputy)  # a session of that day
            assert client.get(reverse("projects:detail", args=[project.pk])).status_code == 404
            assert sign(client, project, step).status_code == 404
            with pytest.raises(PermissionDenied):
                services.signoff_record(step=step, by=deputy, decision="approved")
    assert not SignOff.objects.exists()
    with on(JULY_14):
        client.force_login(deputy)
        assert client.get(reverse("projects:detail", args=[project.pk])).status_code == 200
        page = client.get(reverse("participation:step", args=[project.pk, step.pk])).content.decode()
        assert 'name="decision"' in page  # the sign form, as the representative would see it
        assert sign(client, project, step).status_code == 302
    signoff = SignOff.objects.get()
    assert (signoff.signer, signoff.on_behalf_of, signoff.role) == (deputy, project.safety_rep, Role.SAFETY_REP)


def test_the_deputys_signoff_keeps_counting_after_the_period(client, project, step, deputy):
    with on(datetime.date(2027, 7, 5)):
        services.signoff_record(step=step, by=deputy, decision="approved")
        assert safety_met(step)
    with on(datetime.date(2027, 9, 1)):
        assert safety_met(step)
        assert not selectors.open_signoffs_for(user=project.safety_rep).filter(step=step).exists()
        client.force_login(project.owner)  # a session of that day
        page = " ".join(client.get(reverse("participation:step", args=[project.pk, step.pk])).content.decode().split())
        assert "Vera Vikar (som stedfortreder for Siri Verne)" in page or (
            "Vera Vikar (as deputy for Siri Verne)" in page
        )


def test_representative_and_deputy_sign_once_between_them(project, step, deputy):
    with on(datetime.date(2027, 7, 5)):
        services.signoff_record(step=step, by=deputy, decision="approved")
        with pytest.raises(ValidationError):
            services.signoff_record(step=step, by=project.safety_rep, decision="objection", text="Nei")
    assert SignOff.objects.count() == 1


def test_the_deputy_finds_the_step_waiting_only_in_the_period(project, step, deputy):
    with on(datetime.date(2027, 7, 2)):
        assert selectors.open_signoffs_for(user=deputy).filter(step=step).exists()
    with on(datetime.date(2027, 7, 20)):
        assert not selectors.open_signoffs_for(user=deputy).exists()


def test_the_protocol_says_as_deputy_for(project, step, deputy):
    with on(datetime.date(2027, 7, 5)):
        services.signoff_record(step=step, by=deputy, decision="objection", text="Støyen er ikke vurdert.")
    text = " ".join(pdf_text(protocol_generate(project=project, by=project.owner))[2].split())
    assert "Vera Vikar (som stedfortreder for Siri Verne)" in text


def test_the_employer_side_can_never_be_a_deputy(project):
    with on(datetime.date(2027, 6, 20)):
        with pytest.raises(ValidationError) as exc:
            project_services.deputy_set(
                project=project, principal=project.safety_rep, role=Role.SAFETY_REP, deputy=project.owner,
                starts=JULY_1, ends=JULY_14, by=project.safety_rep,
            )  # fmt: skip
        assert "deputy" in exc.value.message_dict
        vera = UserFactory(full_name="Vera Vikar")
        project_services.deputy_set(
            project=project, principal=project.safety_rep, role=Role.SAFETY_REP, deputy=vera,
            starts=JULY_1, ends=JULY_14, by=project.safety_rep,
        )  # fmt: skip
        # nor can the deputy later take the employer's side
        with pytest.raises(ValidationError) as exc:
            project_services.membership_add(project=project, user=vera, role=Role.MANAGER, by=project.owner)
        assert "role" in exc.value.message_dict


def test_an_owner_who_acts_as_deputy_cannot_sign(project, step):
    """Had the deputy become the owner through the admin, the service still refuses them."""
    vera = UserFactory(full_name="Vera Vikar")
    with on(datetime.date(2027, 6, 20)):
        project_services.deputy_set(
            project=project, principal=project.safety_rep, role=Role.SAFETY_REP, deputy=vera,
            starts=JULY_1, ends=JULY_14, by=project.safety_rep,
        )  # fmt: skip
    from projects.models import Membership

    Membership.objects.get_or_create(project=project, user=vera, role=Role.OWNER)
    with on(datetime.date(2027, 7, 5)), pytest.raises(PermissionDenied):
        services.signoff_record(step=step, by=vera, decision="approved")


def test_who_names_a_deputy(client, project):
    membership = project.memberships.get(user=project.safety_rep, role=Role.SAFETY_REP)
    url = reverse("projects:deputy", args=[project.pk, membership.pk])
    client.force_login(project.owner)
    assert client.get(url).status_code == 403
    with pytest.raises(PermissionDenied):
        project_services.deputy_set(
            project=project, principal=project.safety_rep, role=Role.SAFETY_REP, deputy=UserFactory(),
            starts=JULY_1, ends=JULY_14, by=project.owner,
        )  # fmt: skip
    client.force_login(project.safety_rep)
    members = client.get(reverse("projects:members", args=[project.pk])).content.decode()
    assert url in members  # reached from Medlemmer
    vera = UserFactory(full_name="Vera Vikar")
    with on(datetime.date(2027, 6, 20)):
        client.force_login(project.safety_rep)
        page = client.get(url + "?q=Vikar").content.decode()
        assert "Vera Vikar" in page
        response = client.post(url, {"q": "Vikar", "deputy": vera.pk, "starts": "01.07.2027", "ends": "14.07.2027"})
        assert response.status_code == 302
        client.force_login(coordinator())
        assert client.get(url).status_code == 200
    assert Deputy.objects.get().deputy == vera


def test_bad_period_is_shown_at_the_field_with_the_input_kept(client, project):
    membership = project.memberships.get(user=project.safety_rep, role=Role.SAFETY_REP)
    url = reverse("projects:deputy", args=[project.pk, membership.pk])
    vera = UserFactory(full_name="Vera Vikar")
    client.force_login(project.safety_rep)
    response = client.post(url, {"q": "Vikar", "deputy": vera.pk, "starts": "14.07.2027", "ends": "01.07.2027"})
    assert response.status_code == 400
    assert "ends" in response.context["form"].errors
    assert 'value="14.07.2027"' in response.content.decode()
    assert not Deputy.objects.exists()
