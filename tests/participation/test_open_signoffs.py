""" "Waiting for my sign-off" reads the stored open sign-offs (`OpenSignOff`), and *Dine avgjørelser* each
person's stored newest sign-off of each step (`LatestSignOff`). Every service that changes what waits stores them
again in its own transaction: after each one, the stored rows equal the rules evaluated afresh from the steps,
sign-offs and memberships, each representative waits for exactly the steps the rule gives, and something changed
(so a service that forgot to refresh would fail here)."""

import io

import pytest
from django.core.management import call_command

from participation import rollups, selectors
from participation import services as participation_services
from participation.models import LatestSignOff, OpenSignOff
from projects import services as project_services
from projects.models import Membership, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(unsent_project):
    """Before any step is sent: sending is one of the changes under test."""
    return unsent_project


def waiting(project):
    """(stored open sign-offs of the project, {representative: names of the steps waiting for them})."""
    reps = (project.safety_rep, project.union_rep, project.oh)
    return rollups.open_signoffs_stored([project.pk]), {
        rep.full_name: sorted(s.name_nb for s in selectors.waiting_for(user=rep)) for rep in reps
    }


class Changes:
    """Runs a service and checks the stored open sign-offs and what waits for each representative afterwards."""

    def __init__(self, project):
        self.project = project
        self.before = waiting(project)

    def __call__(self, label, fn):
        fn()
        stored, by_rep = after = waiting(self.project)
        assert stored == rollups.open_signoffs_computed([self.project.pk]), f"{label}: the stored rows are stale"
        overview = rollups.stored([self.project.pk])[self.project.pk]["signoffs_waiting"]
        assert overview == len({step for step, _role, _at in stored}), f"{label}: the overview counts otherwise"
        latest = rollups.latest_signoffs_stored([self.project.pk])
        assert latest == rollups.latest_signoffs_computed([self.project.pk]), f"{label}: stale latest sign-offs"
        for rep in (self.project.safety_rep, self.project.union_rep, self.project.oh):
            fresh = sorted(s.name_nb for s in selectors.waiting_for_computed(user=rep))
            assert by_rep[rep.full_name] == fresh, f"{label}: what waits for {rep.full_name} is stale"
        assert after != self.before, f"{label}: changed nothing that waits (a useless check)"
        self.before = after


def send(project, key, text):
    step = project.participation_steps.get(key=key)
    participation_services.step_update(step=step, by=project.owner, summary=text, meetings=[])
    return participation_services.step_send(step=step, by=project.owner)


def test_every_service_that_changes_what_waits_stores_the_open_signoffs(project):
    owner, union, safety, oh = project.owner, project.union_rep, project.safety_rep, project.oh
    change = Changes(project)
    change("step sent", lambda: send(project, "mandate-consultation", "Mandatet legges fram."))
    change("another step sent", lambda: send(project, "risk", "Risikovurderingen legges fram."))
    mandate = project.participation_steps.get(key="mandate-consultation")
    risk = project.participation_steps.get(key="risk")

    def sign(step, by, decision="approved", text=""):
        return lambda: participation_services.signoff_record(step=step, by=by, decision=decision, text=text)

    change("objection", sign(mandate, union, "objection", "Skjerming mangler."))
    change("approval", sign(mandate, safety))
    change("new version sent", lambda: send(project, "mandate-consultation", "Mandatet med skjerming."))
    change("approval of the new version", sign(mandate, union))
    assert waiting(project)[1][union.full_name] == []
    union_membership = Membership.objects.get(project=project, user=union, role=Role.UNION_REP)
    change(
        "signer loses the role",
        lambda: project_services.membership_change_role(membership=union_membership, role=Role.VIEWER, by=owner),
    )
    change(
        "signer gets the role back",
        lambda: project_services.membership_change_role(membership=union_membership, role=Role.UNION_REP, by=owner),
    )
    change("occupational health signs", sign(risk, oh))
    oh_membership = Membership.objects.get(project=project, user=oh, role=Role.OH_SERVICE)
    change("signer removed", lambda: project_services.membership_remove(membership=oh_membership, by=owner))
    change(
        "signer added again",
        lambda: project_services.membership_add(project=project, user=oh, role=Role.OH_SERVICE, by=owner),
    )
    assert waiting(project)[1] == {
        safety.full_name: sorted([mandate.name_nb, risk.name_nb]),  # safety signed the first version only
        union.full_name: [],
        oh.full_name: [],
    }


def test_the_command_stores_the_open_signoffs_and_latest_signoffs_again(project):
    step = send(project, "mandate-consultation", "Mandatet legges fram.")
    participation_services.signoff_record(step=step, by=project.union_rep, decision="approved")
    expected = rollups.open_signoffs_stored([project.pk])
    latest = rollups.latest_signoffs_stored([project.pk])
    OpenSignOff.objects.all().delete()  # a repair behind the services
    LatestSignOff.objects.all().delete()
    call_command("refresh_rollups", stdout=io.StringIO())
    assert rollups.open_signoffs_stored([project.pk]) == expected == rollups.open_signoffs_computed([project.pk])
    assert rollups.latest_signoffs_stored([project.pk]) == latest == rollups.latest_signoffs_computed([project.pk])
    assert len(latest) == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("refresher", "rule"),
    [("open_signoffs_refresh", "open_signoff_rows"), ("latest_signoffs_refresh", "latest_signoff_rows")],
)
def test_a_refresher_run_on_its_own_waits_for_a_signoff_in_progress_and_is_waited_for(
    postgres, project, monkeypatch, refresher, rule
):
    """The repair command runs each refresher on its own, outside a service's transaction, while people go on
    signing. The union representative signs in another thread just after the refresher computed its rows: the
    sign-off must wait for the refresher's lock on the project (else the refresher deletes what the sign-off
    stored and writes its rows from before it), and then store its own."""
    import threading

    from django.db import connection

    step = send(project, "mandate-consultation", "Mandatet legges fram.")
    computed = getattr(rollups, rule)
    signing = threading.Thread(
        target=lambda: (
            participation_services.signoff_record(step=step, by=project.union_rep, decision="approved"),
            connection.close(),
        )
    )

    def rows_then_a_signoff(project_ids):
        rows = computed(project_ids)
        if not signing.is_alive() and signing.ident is None:  # the refresher's own call, not the sign-off's
            signing.start()
            signing.join(timeout=2)  # it finishes here only if nothing makes it wait
        return rows

    monkeypatch.setattr(rollups, rule, rows_then_a_signoff)
    getattr(rollups, refresher)([project.pk])
    signing.join(timeout=20)
    assert not signing.is_alive()
    assert rollups.open_signoffs_stored([project.pk]) == rollups.open_signoffs_computed([project.pk])
    assert rollups.latest_signoffs_stored([project.pk]) == rollups.latest_signoffs_computed([project.pk])
    assert [s.step.key for s in selectors.signed_by(user=project.union_rep)] == ["mandate-consultation"]


def _other_signoff(project):
    risk = project.participation_steps.get(key="risk")
    participation_services.signoff_record(step=risk, by=project.safety_rep, decision="approved")


def _membership_change(project):
    newcomer = Membership.objects.filter(project=project, role=Role.OH_SERVICE).get().user
    project_services.membership_add(project=project, user=newcomer, role=Role.AMU, by=project.owner)


def _document_change(project):
    from workproducts.models import WorkProduct
    from workproducts.services import workproduct_save

    mandate = WorkProduct.objects.get(project=project, kind="mandate")
    workproduct_save(work_product=mandate, by=project.owner, data={"frame_amount": 3_000_000})


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "other",
    [_other_signoff, _membership_change, _document_change],
    ids=["another step", "a membership", "the document the step includes"],
)
def test_a_signoff_and_another_change_to_the_project_at_the_same_time_both_succeed(postgres, project, other):
    """The union representative signs one step while another service changes the same project in a second
    transaction, which has locked its own row (the other step, or the project) and waits for the project's
    summary that the sign-off holds, or (the mandate saved) for the step being signed, which includes the
    document. The sign-off's stored lists refer to those rows (every waiting step, the project), and checking
    those references must not wait for the other transaction's lock: both succeed."""
    import threading
    import time

    from django.db import connection

    from workproducts.services import workproduct_start

    workproduct_start(project=project, kind="mandate", by=project.owner)
    send(project, "mandate-consultation", "Mandatet legges fram.")
    send(project, "risk", "Risikovurderingen legges fram.")
    step = project.participation_steps.get(key="mandate-consultation")
    errors = []

    def run_other():
        try:
            other(project)
        except Exception as exc:  # noqa: BLE001  (reported below)
            errors.append(exc)
        finally:
            connection.close()

    second = threading.Thread(target=run_other)
    computed = rollups.open_signoff_rows

    def rows_while_the_other_waits(project_ids):
        if second.ident is None:  # the sign-off's first call, with the summary locked
            second.start()
            with connection.cursor() as cursor:
                for _ in range(100):  # until the other transaction waits for a lock (at most 10 s)
                    cursor.execute(
                        "SELECT count(*) FROM pg_stat_activity"
                        " WHERE datname = current_database() AND wait_event_type = 'Lock'"
                    )
                    if cursor.fetchone()[0]:
                        break
                    time.sleep(0.1)
        return computed(project_ids)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(rollups, "open_signoff_rows", rows_while_the_other_waits)
        try:
            participation_services.signoff_record(step=step, by=project.union_rep, decision="approved")
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        second.join(timeout=20)
    assert errors == []
    assert rollups.open_signoffs_stored([project.pk]) == rollups.open_signoffs_computed([project.pk])
    assert rollups.latest_signoffs_stored([project.pk]) == rollups.latest_signoffs_computed([project.pk])
