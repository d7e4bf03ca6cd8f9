"""The iCal feeds: they parse, hold the project's dated things with stable UIDs, and answer 404 to a wrong
or revoked token."""

import datetime
import gzip
import re

import icalendar
import pytest
import time_machine
from django.urls import reverse

from phases import services as phase_services
from phases.models import ChecklistItem
from projects.calendars import uid_domain
from projects.models import Role
from projects.services import calendar_feed_for, calendar_feed_regenerate
from tests.factories import MembershipFactory, ProjectFactory, UserFactory, member

HOST = uid_domain()  # the host of SITE_URL: every UID ends with it (test_uids_end_with_the_host_of_site_url)


@pytest.fixture
def project(mini_template):
    project = ProjectFactory(
        name="Økonomi flytter", start_date=datetime.date(2027, 1, 4), planned_move_in=datetime.date(2027, 10, 1)
    )
    project.owner = member(project, Role.OWNER, full_name="Kari Eier")
    phase_services.process_start(project=project, template=mini_template, by=project.owner)
    return project


def events(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(response.content)
    return {str(e["uid"]): e for e in cal.walk("VEVENT")}


def test_personal_feed_holds_the_dated_items_of_my_projects(client, project):
    feed = calendar_feed_for(user=project.owner)
    got = events(client.get(reverse("calendar_feed", args=[feed.token])))
    vision = project.phases.get(order=1).items.get(key="vision")
    event = got[f"item-{vision.pk}@{HOST}"]
    assert event.decoded("dtstart") == datetime.date(2027, 1, 14)
    assert "Skriv visjon" in str(event["summary"]) and "Økonomi flytter" in str(event["summary"])
    assert "dtstamp" in event
    assert got[f"project-{project.pk}-planned-move-in@{HOST}"].decoded("dtstart") == datetime.date(2027, 10, 1)
    # Stable: the same UIDs again on the next fetch, and after a deadline moves.
    phase_services.item_plan(item=vision, by=project.owner, assignee=None, due_date=datetime.date(2027, 1, 20))
    again = events(client.get(reverse("calendar_feed", args=[feed.token])))
    assert set(again) == set(got)
    assert again[f"item-{vision.pk}@{HOST}"].decoded("dtstart") == datetime.date(2027, 1, 20)


def test_the_feed_escapes_and_folds_long_texts_with_norwegian_letters(client, project):
    """The feed is written directly (not by the icalendar library): commas, semicolons, backslashes and line
    breaks are escaped, and lines are folded at 75 octets without splitting æ, ø or å; icalendar reads back
    exactly what was written, and the English feed names the deadline in English."""
    vision = project.phases.get(order=1).items.get(key="vision")
    text = "Skriv visjon; mål, behov\\og «ønsker» for økonomi-, lønns- og regnskapsseksjonen\nsammen med de ansatte"
    vision.text_nb = vision.text_en = text
    vision.save()
    project.name = "Økonomi flytter til Åsgårdstrand"
    project.save()
    feed = calendar_feed_for(user=project.owner)
    response = client.get(reverse("calendar_feed", args=[feed.token]))
    assert all(len(line) <= 75 for line in response.content.split(b"\r\n")), "a line over 75 octets"
    assert b"\r\n " in response.content  # some line was folded
    response.content.decode()  # folding kept every character whole
    event = events(response)[f"item-{vision.pk}@{HOST}"]
    assert str(event["summary"]) == f"Frist: {text} – Økonomi flytter til Åsgårdstrand"
    assert str(event["description"]) == vision.activity.name_nb
    project.owner.preferred_language = "en"
    project.owner.save()
    english = events(client.get(reverse("calendar_feed", args=[feed.token])))[f"item-{vision.pk}@{HOST}"]
    assert str(english["summary"]).startswith("Deadline: Skriv visjon;")
    assert str(english["description"]) == (vision.activity.name_en or vision.activity.name_nb)


def test_feed_is_in_europe_oslo(client, project):
    feed = calendar_feed_for(user=project.owner)
    cal = icalendar.Calendar.from_ical(client.get(reverse("calendar_feed", args=[feed.token])).content)
    assert str(cal["x-wr-timezone"]) == "Europe/Oslo"


def test_other_peoples_projects_stay_out(client, project):
    other = ProjectFactory(name="Hemmelig", planned_move_in=datetime.date(2027, 5, 1))
    outsider = member(other, Role.OWNER)
    feed = calendar_feed_for(user=outsider)
    got = events(client.get(reverse("calendar_feed", args=[feed.token])))
    assert list(got) == [f"project-{other.pk}-planned-move-in@{HOST}"]
    assert client.get(reverse("calendar_project_feed", args=[feed.token, project.pk])).status_code == 404


def test_project_feed_for_a_member(client, project):
    viewer = member(project, Role.VIEWER)
    feed = calendar_feed_for(user=viewer)
    got = events(client.get(reverse("calendar_project_feed", args=[feed.token, project.pk])))
    assert f"project-{project.pk}-planned-move-in@{HOST}" in got and len(got) > 3


def test_wrong_token_gets_404(client, project):
    assert client.get(reverse("calendar_feed", args=["not-a-token"])).status_code == 404
    assert client.get(reverse("calendar_project_feed", args=["not-a-token", project.pk])).status_code == 404


def test_regenerating_revokes_the_old_address(client, project):
    old = calendar_feed_for(user=project.owner).token
    client.force_login(project.owner)
    page = client.get(reverse("calendar_regenerate"))
    assert "kan ikke angres" in page.content.decode()
    assert client.post(reverse("calendar_regenerate")).status_code == 302
    new = calendar_feed_for(user=project.owner).token
    assert new != old
    client.logout()
    assert client.get(reverse("calendar_feed", args=[old])).status_code == 404
    assert client.get(reverse("calendar_feed", args=[new])).status_code == 200


def test_calendar_page_shows_the_addresses(client, project):
    client.force_login(project.owner)
    html = client.get(reverse("calendar")).content.decode()
    token = calendar_feed_for(user=project.owner).token
    assert f"/calendar/{token}.ics" in html and f"/calendar/{token}/{project.pk}.ics" in html


def test_a_deactivated_person_has_no_feed(client, project):
    feed = calendar_feed_regenerate(user=project.owner)
    project.owner.is_active = False
    project.owner.save()
    assert client.get(reverse("calendar_feed", args=[feed.token])).status_code == 404


def test_no_projects_gives_an_empty_calendar(client, db):
    feed = calendar_feed_for(user=UserFactory())
    assert events(client.get(reverse("calendar_feed", args=[feed.token]))) == {}


CALENDAR_QUERIES = 14  # session, user, groups, the top bar, the feed, the projects counted, a page of their names


@pytest.mark.parametrize("n", [1, 30])
def test_calendar_page_lists_every_project_in_the_same_queries(client, db, n, django_assert_max_num_queries):
    """One address per project, for a representative in many projects too: the same queries for 1 as for 30."""
    person = UserFactory()
    projects = [ProjectFactory(name=f"Prosjekt {i:02d}", planned_move_in=datetime.date(2027, 1, 1)) for i in range(n)]
    for project in projects:
        MembershipFactory(project=project, user=person, role=Role.UNION_REP)
    token = calendar_feed_for(user=person).token
    client.force_login(person)
    client.get(reverse("calendar"))  # the session's first request writes it
    with django_assert_max_num_queries(CALENDAR_QUERIES):
        html = client.get(reverse("calendar")).content.decode()
    for project in projects:
        assert f'<label for="feed-{project.pk}" class="form-label">{project.name}</label>' in html
        assert f"/calendar/{token}/{project.pk}.ics" in html
    assert html.index("Prosjekt 00") <= html.index(f"Prosjekt {n - 1:02d}")


@pytest.mark.parametrize("n", [1, 8])
def test_the_feed_reads_every_project_in_the_same_queries(client, mini_template, n, django_assert_max_num_queries):
    """A representative's feed over many projects asks who may see each sensitive HMS measure from one read of
    their roles, not a query per project: the same queries for 1 project as for 8, and the safety rep sees the
    sensitive measure's date while a working-group member does not."""
    from evaluation import services as evaluation_services

    safety, worker = UserFactory(), UserFactory()
    for i in range(n):
        project = ProjectFactory(name=f"Prosjekt {i}", start_date=datetime.date(2027, 1, 4))
        owner = member(project, Role.OWNER)
        MembershipFactory(project=project, user=safety, role=Role.SAFETY_REP)
        MembershipFactory(project=project, user=worker, role=Role.MEMBER)
        phase_services.process_start(project=project, template=mini_template, by=owner)
        evaluation_services.measure_create(
            project=project, by=owner, focus_area="Konflikt", goal="Ro", activity="Samtaler", responsible="Kari",
            source="evaluation", sensitive=True, due_date=datetime.date(2027, 3, 1),
        )  # fmt: skip
    feeds = {person: calendar_feed_for(user=person).token for person in (safety, worker)}
    # + the feed's version: the person's roles and groups; + the projects' ids, read apart from the projects so
    # that a kept feed reads no project (a representative of 20 000 projects: issue 30).
    with django_assert_max_num_queries(11) as captured:
        seen = events(client.get(reverse("calendar_feed", args=[feeds[safety]])))
    assert len([uid for uid in seen if uid.startswith("measure-")]) == n
    # The sources select the person's projects by a subquery, not by a list of their ids (20 000 parameters for
    # a representative of 20 000 projects took longer to send and parse than the rows took to read).
    listed = [q["sql"] for q in captured.captured_queries if re.search(r"IN \((\d+, ){4,}\d+\)", q["sql"])]
    assert not listed, listed
    hidden = events(client.get(reverse("calendar_feed", args=[feeds[worker]])))
    assert not [uid for uid in hidden if uid.startswith("measure-")]
    assert len([uid for uid in hidden if uid.startswith("item-")]) == len([u for u in seen if u.startswith("item-")])


def test_the_default_feed_holds_open_deadlines_around_today_and_everything_is_still_there(client, project):
    """By default: open items due from 30 days back to a year ahead. With ?all=1: done ones and the distant
    past and future too. The calendar page names both addresses."""
    items = list(ChecklistItem.objects.filter(project=project).order_by("id")[:5])
    assert len(items) == 5
    with time_machine.travel(datetime.datetime(2027, 3, 1, 9, tzinfo=datetime.UTC), tick=False):
        today = datetime.date(2027, 3, 1)
        days = {0: 10, 1: 5, 2: 400, 3: -40, 4: -20}  # item index -> days from today
        for i, offset in days.items():
            phase_services.item_plan(
                item=items[i], by=project.owner, assignee=None, due_date=today + datetime.timedelta(days=offset)
            )
        phase_services.item_set_done(item=items[1], by=project.owner, done=True)
        feed = calendar_feed_for(user=project.owner)
        url = reverse("calendar_feed", args=[feed.token])
        default = events(client.get(url))
        everything = events(client.get(url + "?all=1"))
    uid = [f"item-{item.pk}@{HOST}" for item in items]
    assert uid[0] in default and uid[4] in default  # open, within the window
    assert uid[1] not in default  # done
    assert uid[2] not in default and uid[3] not in default  # open, but a year ahead / more than 30 days ago
    assert f"project-{project.pk}-planned-move-in@{HOST}" in default  # 1 October 2027
    assert set(uid) <= set(everything)
    assert set(default) < set(everything)
    client.force_login(project.owner)
    html = client.get(reverse("calendar")).content.decode()
    assert f"/calendar/{feed.token}.ics?all=1" in html
    assert "30 dager tilbake" in html


def test_the_feed_is_kept_until_something_in_it_changes(client, project, django_assert_max_num_queries):
    """A second fetch is read from the cache (compressed, with an ETag a calendar can send back for a 304);
    a moved deadline, a measure made sensitive and a new role of the person each give a new feed."""
    from evaluation import services as evaluation_services

    worker = member(project, Role.MEMBER)
    measure = evaluation_services.measure_create(
        project=project, by=project.owner, focus_area="Konflikt", goal="Ro", activity="Samtaler",
        responsible="Kari", source="evaluation", sensitive=False, due_date=datetime.date(2027, 3, 1),
    )  # fmt: skip
    url = reverse("calendar_feed", args=[calendar_feed_for(user=worker).token])
    first = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert first["Content-Encoding"] == "gzip" and "Accept-Encoding" in first["Vary"]
    assert f"measure-{measure.pk}@{HOST}" in events_of(gzip.decompress(first.content))
    # The token, the projects' ids, the person's roles and groups: no project or event is read.
    with django_assert_max_num_queries(4):
        again = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert again.content == first.content and again["ETag"] == first["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

    vision = project.phases.get(order=1).items.get(key="vision")
    phase_services.item_plan(item=vision, by=project.owner, assignee=None, due_date=datetime.date(2027, 2, 2))
    moved = events(client.get(url))
    assert moved[f"item-{vision.pk}@{HOST}"].decoded("dtstart") == datetime.date(2027, 2, 2)

    evaluation_services.measure_update(measure=measure, by=project.owner, status=measure.status, sensitive=True)
    assert f"measure-{measure.pk}@{HOST}" not in events(client.get(url))

    MembershipFactory(project=project, user=worker, role=Role.SAFETY_REP)
    assert f"measure-{measure.pk}@{HOST}" in events(client.get(url))


def _etag(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response["ETag"]


@pytest.fixture
def worker_feed(project):
    """A working-group member's personal feed address, fetched once so that a version is kept."""
    worker = member(project, Role.MEMBER)
    return worker, reverse("calendar_feed", args=[calendar_feed_for(user=worker).token])


def test_the_feed_version_stays_while_nothing_changes(client, project, worker_feed):
    _worker, url = worker_feed
    assert _etag(client, url) == _etag(client, url)
    assert _etag(client, url + "?all=1") == _etag(client, url + "?all=1") != _etag(client, url)


def test_the_feed_version_changes_with_the_persons_memberships_and_roles(client, project, worker_feed):
    """Issue 30 point 3: a new role in a project, a new project and a project left each give a new version."""
    worker, url = worker_feed
    before = _etag(client, url)
    safety = MembershipFactory(project=project, user=worker, role=Role.SAFETY_REP)
    with_role = _etag(client, url)
    assert with_role != before
    other = ProjectFactory(name="Annet prosjekt")
    joined = MembershipFactory(project=other, user=worker, role=Role.MEMBER)
    with_project = _etag(client, url)
    assert with_project not in (before, with_role)
    joined.delete()
    safety.delete()
    assert _etag(client, url) not in (with_role, with_project)


def test_the_feed_version_changes_with_a_measures_sensitive_flag(client, project, worker_feed):
    from evaluation import services as evaluation_services

    _worker, url = worker_feed
    measure = evaluation_services.measure_create(
        project=project, by=project.owner, focus_area="Konflikt", goal="Ro", activity="Samtaler",
        responsible="Kari", source="evaluation", sensitive=False, due_date=datetime.date(2027, 3, 1),
    )  # fmt: skip
    before = _etag(client, url)
    evaluation_services.measure_update(measure=measure, by=project.owner, status=measure.status, sensitive=True)
    assert _etag(client, url) != before


def test_the_feed_version_changes_with_any_dated_item_of_the_persons_projects(client, project, worker_feed):
    """An item's deadline, an activity's deadline and the project's planned move-in each give a new version."""
    _worker, url = worker_feed
    seen = {_etag(client, url)}
    item = project.phases.get(order=1).items.get(key="vision")
    phase_services.item_plan(item=item, by=project.owner, assignee=None, due_date=datetime.date(2027, 2, 2))
    seen.add(_etag(client, url))
    activity = item.activity
    activity.due_date = datetime.date(2027, 4, 4)
    activity.save()
    seen.add(_etag(client, url))
    project.planned_move_in = datetime.date(2027, 11, 1)
    project.save()
    seen.add(_etag(client, url))
    assert len(seen) == 4


def events_of(content):
    return {str(e["uid"]): e for e in icalendar.Calendar.from_ical(content).walk("VEVENT")}


def test_the_feed_and_the_changes_work_with_the_cache_down(client, project, settings):
    """With the cache's Redis not answering, a deadline still moves and the feed is built without the cache."""
    from django.core.cache import cache

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # the discard port: nobody answers Redis there
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    with pytest.raises(Exception, match="(?i)connect"):
        cache.get("anything")
    vision = project.phases.get(order=1).items.get(key="vision")
    phase_services.item_plan(item=vision, by=project.owner, assignee=None, due_date=datetime.date(2027, 2, 3))
    got = events(client.get(reverse("calendar_feed", args=[calendar_feed_for(user=project.owner).token])))
    assert got[f"item-{vision.pk}@{HOST}"].decoded("dtstart") == datetime.date(2027, 2, 3)


def test_uids_end_with_the_host_of_site_url_so_two_installations_never_share_one(client, project, settings):
    feed = calendar_feed_for(user=project.owner)
    vision = project.phases.get(order=1).items.get(key="vision")
    settings.SITE_URL = "https://prosessguiden.bergen.kommune.no"
    first = events(client.get(reverse("calendar_feed", args=[feed.token])))
    assert f"item-{vision.pk}@prosessguiden.bergen.kommune.no" in first
    assert all(uid.endswith("@prosessguiden.bergen.kommune.no") for uid in first)
    settings.SITE_URL = "https://test.prosessguiden.example.org:8443"
    from django.core.cache import cache

    cache.clear()  # another installation: no kept copy of the first one's feed
    second = events(client.get(reverse("calendar_feed", args=[feed.token])))
    assert f"item-{vision.pk}@test.prosessguiden.example.org" in second
    assert not set(first) & set(second)


def test_a_feed_over_more_projects_than_the_cache_held_is_kept(client, db, django_assert_max_num_queries):
    """The feed keeps a stamp per project in the cache: for a representative of 400 projects the second fetch
    comes from the kept copy (with the local cache's default of 300 entries the stamps were culled and every
    fetch built the feed again)."""
    from projects.models import Membership, Project

    person, creator = UserFactory(), UserFactory()
    projects = Project.objects.bulk_create(
        [Project(name=f"Prosjekt {i}", case_number=f"2027/{i + 1000}", created_by=creator) for i in range(400)]
    )
    Membership.objects.bulk_create([Membership(project=p, user=person, role=Role.UNION_REP) for p in projects])
    url = reverse("calendar_feed", args=[calendar_feed_for(user=person).token])
    first = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    with django_assert_max_num_queries(4):
        again = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert again["ETag"] == first["ETag"]


@pytest.mark.django_db
def test_the_calendar_page_lists_the_project_addresses_a_page_at_a_time(client, settings):
    """A representative of many projects gets the one-project addresses a page at a time (issue 30: the page
    does not grow with a person's reach); the personal addresses stand on every page."""
    settings.PAGINATE_BY = 3
    rep = UserFactory()
    for i in range(5):
        MembershipFactory(project=ProjectFactory(name=f"Prosjekt {i}"), user=rep, role=Role.UNION_REP)
    client.force_login(rep)
    first = client.get(reverse("calendar")).content.decode()
    second = client.get(reverse("calendar") + "?page=2").content.decode()
    names = [f"Prosjekt {i}" for i in range(5)]
    assert sum(name in first for name in names) == 3 and sum(name in second for name in names) == 2
    assert "?page=2" in first and ".ics?all=1" in second
