"""Retention of personal data in completed projects, and one person's data export."""

import datetime
import json

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from participation import services as participation_services
from participation.models import SignOff
from phases import services as phase_services
from projects import services
from projects.models import Notification, Project, Role
from tests.factories import ProjectFactory, member
from tests.participation.conftest import prepare_steps
from tests.support.my_data import my_data_file

pytestmark = pytest.mark.django_db
OSLO = datetime.timezone(datetime.timedelta(hours=1))


def completed_project(steps_template, name, completed_on):
    """A project with an objection and a guest at a meeting, completed on `completed_on`."""
    with time_machine.travel(datetime.datetime(2019, 9, 2, 10, tzinfo=OSLO), tick=False):
        project = ProjectFactory(name=name)
        project.owner = member(project, Role.OWNER, full_name="Kari Eier")
        project.safety_rep = member(project, Role.SAFETY_REP, full_name="Siri Verne")
        member(project, Role.UNION_REP)
        phase_services.process_start(project=project, template=steps_template, by=project.owner)
        prepare_steps(project)
        step = project.participation_steps.get(key="mandate-consultation")
        participation_services.meeting_save(
            project=project,
            by=project.owner,
            type="consultation",
            title="Drøftingsmøte",
            held_on=datetime.date(2019, 9, 1),
            other_participants="Ola Gjest\nPer Konsulent",
        )
        signoff = participation_services.signoff_record(
            step=step, by=project.safety_rep, decision="objection", text="Siri Verne: for lite lys ved pultene."
        )
        Notification.objects.create(
            key=f"objection:{signoff.pk}",
            kind="objection",
            recipient=project.owner,
            project=project,
            text={"nb": "Siri Verne har en protokolltilførsel", "en": "Siri Verne recorded an objection"},
        )
    with time_machine.travel(datetime.datetime.combine(completed_on, datetime.time(12), tzinfo=OSLO), tick=False):
        services.project_update(project=project, by=project.owner, status=Project.Status.COMPLETED)
    return project, signoff


def test_completed_project_past_the_limit_is_anonymised_and_signoff_facts_remain(steps_template, settings):
    settings.RETENTION_YEARS = 10
    old, signoff = completed_project(steps_template, "Gammelt prosjekt", datetime.date(2020, 6, 1))
    recent, recent_signoff = completed_project(steps_template, "Nyere prosjekt", datetime.date(2025, 6, 1))
    before = SignOff.objects.filter(pk=signoff.pk).values().get()

    with time_machine.travel(datetime.datetime(2030, 6, 2, 12, tzinfo=OSLO), tick=False):
        call_command("anonymise_completed_projects")

    old.refresh_from_db()
    assert old.anonymised_at is not None
    # The sign-off is still there with its facts; only its free text is gone.
    after = SignOff.objects.filter(pk=signoff.pk).values().get()
    assert after["text"] == ""
    assert {k: v for k, v in after.items() if k != "text"} == {k: v for k, v in before.items() if k != "text"}
    assert after["decision"] == "objection" and after["signer_id"] == old.safety_rep.pk
    assert not SignOff.history.filter(id=signoff.pk).exclude(text="").exists()
    # Nobody's name is left in the project's history, nor in the meeting's guest list.
    assert not old.history.filter(history_user__isnull=False).exists()
    assert not SignOff.history.filter(step__project=old, history_user__isnull=False).exists()
    assert old.meetings.get().other_participants == ""
    # The owner's notification is still there (read state and time kept), without the name.
    notice = Notification.objects.get(project=old)
    assert notice.recipient == old.owner
    assert "Siri Verne" not in json.dumps(notice.text)
    assert notice.text["nb"] == "Et varsel i et prosjekt der personopplysningene er fjernet."
    assert "Siri Verne" not in json.dumps(
        [list(h.values()) for h in SignOff.history.filter(id=signoff.pk).values()], default=str
    )

    # The project completed five years ago keeps everything.
    recent.refresh_from_db()
    assert recent.anonymised_at is None
    assert SignOff.objects.get(pk=recent_signoff.pk).text == "Siri Verne: for lite lys ved pultene."
    assert "Siri Verne" in Notification.objects.get(project=recent).text["nb"]
    assert recent.history.filter(history_user__isnull=False).exists()


def test_active_projects_and_dry_runs_change_nothing(steps_template, settings, capsys):
    settings.RETENTION_YEARS = 1
    project, signoff = completed_project(steps_template, "Prosjekt", datetime.date(2020, 6, 1))
    with time_machine.travel(datetime.datetime(2030, 6, 2, 12, tzinfo=OSLO), tick=False):
        call_command("anonymise_completed_projects", "--dry-run")
        assert "would anonymise" in capsys.readouterr().out
        services.project_update(project=project, by=project.owner, status=Project.Status.ACTIVE)
        call_command("anonymise_completed_projects")
    assert SignOff.objects.get(pk=signoff.pk).text != ""
    project.refresh_from_db()
    assert project.anonymised_at is None


def test_the_years_come_from_the_setting(steps_template, settings):
    settings.RETENTION_YEARS = 3
    project, signoff = completed_project(steps_template, "Prosjekt", datetime.date(2020, 6, 1))
    with time_machine.travel(datetime.datetime(2023, 5, 30, 12, tzinfo=OSLO), tick=False):
        call_command("anonymise_completed_projects")
    assert SignOff.objects.get(pk=signoff.pk).text != ""
    with time_machine.travel(datetime.datetime(2023, 6, 2, 12, tzinfo=OSLO), tick=False):
        call_command("anonymise_completed_projects")
    assert SignOff.objects.get(pk=signoff.pk).text == ""


def test_person_downloads_their_own_data(client, steps_template):
    project, signoff = completed_project(steps_template, "Prosjekt", datetime.date(2020, 6, 1))
    rep = project.safety_rep
    client.force_login(rep)
    settings_page = client.get(reverse("settings")).content.decode()
    assert reverse("my_data") in settings_page
    body = my_data_file(client)
    data = json.loads(body)
    assert data["person"]["email"] == rep.email
    assert data["person"]["full_name"] == "Siri Verne"
    assert [s["text"] for s in data["records"]["participation.SignOff.signer"]] == [signoff.text]
    assert [m["role"] for m in data["records"]["projects.Membership.user"]] == [Role.SAFETY_REP]
    assert "participation.HistoricalSignOff" in data["history"]
    # Nothing about the owner's own account is in the safety rep's export.
    assert project.owner.email not in body.decode()


def test_data_export_needs_log_in(client):
    assert client.get(reverse("my_data")).status_code == 302


def test_privacy_and_accessibility_pages_are_linked_from_every_page(client):
    for url in (reverse("login"), reverse("privacy"), reverse("accessibility")):
        html = client.get(url).content.decode()
        assert f'href="{reverse("accessibility")}"' in html
        assert f'href="{reverse("privacy")}"' in html
    assert "Tilgjengelighetserklæring" in client.get(reverse("accessibility")).content.decode()
    assert "Personvern" in client.get(reverse("privacy")).content.decode()
