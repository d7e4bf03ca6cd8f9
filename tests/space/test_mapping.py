"""Mapping and area programme: results computed by hand for a small study, the workstation need, the area
totals, m² per employee against the norm, and the rules the services hold."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from participation import services as participation
from participation.models import Step
from projects.models import Role
from space import calc, selectors
from space import services as space
from space.models import AreaNorm, Observation, RoomType
from tests.factories import coordinator
from workproducts import selectors as wp_selectors
from workproducts.models import WorkProduct
from workproducts.services import workproduct_row_save, workproduct_save, workproduct_start

pytestmark = pytest.mark.django_db

MON, TUE = datetime.date(2027, 2, 1), datetime.date(2027, 2, 2)
# (zone, day, hour) -> (occupied, away) for the desks, persons for the meeting room
DESKS = {
    ("Øst", MON, 8): (4, 1), ("Øst", MON, 9): (6, 0), ("Øst", TUE, 8): (5, 1), ("Øst", TUE, 9): (8, 0),
    ("Vest", MON, 8): (2, 0), ("Vest", MON, 9): (3, 1), ("Vest", TUE, 8): (3, 1), ("Vest", TUE, 9): (5, 0),
}  # fmt: skip
MEETING = {(MON, 8): 0, (MON, 9): 4, (TUE, 8): 6, (TUE, 9): 3}


def small_study(project, by=None):
    """Two units (12 and 8 employees), Øst (10 desks, unit A), Vest (5 desks, unit B) and a meeting room of
    6 seats, observed at 8 and 9 on two days."""
    by = by or project.owner
    wp = workproduct_start(project=project, kind="mapping", by=by)
    a = workproduct_row_save(work_product=wp, section="units", by=by, data={"name": "Økonomi", "headcount": 12})
    b = workproduct_row_save(work_product=wp, section="units", by=by, data={"name": "Innkjøp", "headcount": 8})
    study = space.study_save(
        project=project, by=by,
        data={"name": "Før flytting", "starts_on": MON, "ends_on": MON + datetime.timedelta(days=11),
              "buffer_percent": 10, "sharing_ratio": Decimal("0.70")},
    )  # fmt: skip
    zones = {
        "Øst": space.zone_save(study=study, by=by, data={"name": "Øst", "places": 10, "unit": a}),
        "Vest": space.zone_save(study=study, by=by, data={"name": "Vest", "places": 5, "unit": b}),
        "Møterom": space.zone_save(study=study, by=by, data={"name": "Møterom", "places": 6, "kind": "meeting_room"}),
    }
    for day in (MON, TUE):
        for hour in (8, 9):
            counts = {
                zones[z].pk: {"occupied": DESKS[(z, day, hour)][0], "away": DESKS[(z, day, hour)][1]}
                for z in ("Øst", "Vest")
            }
            counts[zones["Møterom"].pk] = {"persons": MEETING[(day, hour)]}
            space.round_save(study=study, by=by, day=day, hour=hour, counts=counts)
    return wp, study, zones, (a, b)


def test_average_peak_and_modal_utilisation_by_hand(doc_project):
    wp, study, zones, (a, b) = small_study(doc_project)
    report = selectors.study_report(study, project=doc_project)
    r = report.result
    # Øst: 5, 6, 6, 8 of 10 -> 50, 60, 60, 80 %: average 62.5 (63), peak 80, modal 60.
    east = r.zones[zones["Øst"].pk]
    assert (east.average, east.average_pct, east.peak_pct, east.modal_pct) == (0.625, 63, 80, 60)
    # Vest: 2, 4, 4, 5 of 5 -> 40, 80, 80, 100 %: average 75, peak 100, modal 80.
    west = r.zones[zones["Vest"].pk]
    assert (west.average_pct, west.peak_pct, west.modal_pct) == (75, 100, 80)
    # Both desk zones together (15 places): 7, 10, 10, 13 -> 47, 67, 67, 87 %: average 40/60 = 67, peak 87.
    assert (r.overall.average_pct, r.overall.peak_pct, r.overall.modal_pct, r.overall.peak_present) == (67, 87, 67, 13)
    # Per hour of day: 8 -> 7/15 and 10/15 (average 57, peak 67); 9 -> 10/15 and 13/15 (77, 87).
    assert {h: (s.average_pct, s.peak_pct) for h, s in r.hours.items()} == {8: (57, 67), 9: (77, 87)}
    # Per unit: each unit has one zone here.
    assert (r.units[a.pk].average_pct, r.units[b.pk].peak_pct) == (63, 100)
    # Meeting room of 6: 0, 4, 6, 3 persons -> 0, 67, 100, 50 %: average 54, in use in 3 rounds of 4.
    room = r.zones[zones["Møterom"].pk]
    assert (room.average_pct, room.peak_pct) == (54, 100)
    assert r.meeting_in_use[zones["Møterom"].pk] == 0.75
    assert r.observations == 12


def test_workstations_needed_is_peak_plus_buffer_beside_headcount_times_ratio(doc_project):
    _wp, study, _zones, _units = small_study(doc_project)
    report = selectors.study_report(study, project=doc_project)
    assert report.needed == 15  # 13 present at the peak, plus 10 %: 14.3, rounded up
    assert report.headcount == 20 and report.by_ratio == 14  # 20 × 0.70
    assert calc.workstations_needed(18, 10) == 20 and calc.workstations_needed(10, 0) == 10
    assert calc.workstations_by_ratio(25, Decimal("0.75")) == 19


def test_modal_tie_goes_to_the_higher_value():
    s = calc.stats([(1, 4), (2, 4), (3, 4)])
    assert (s.modal_pct, s.average_pct, s.peak_pct) == (75, 50, 75)
    assert calc.stats([]).average is None


def test_the_study_enters_the_signed_content_and_raises_the_version(doc_project):
    wp, study, zones, _ = small_study(doc_project)
    wp.refresh_from_db()
    before = wp.version
    content = {k: v for k, _label, v in wp_selectors.workproduct_content(wp)["fields"]}
    assert "gjennomsnitt 67 %, topp 87 %, typetall 67 %" in content[f"study.{study.pk}"]
    assert "arbeidsplasser som trengs 15" in content[f"study.{study.pk}"]
    space.round_save(study=study, by=doc_project.owner, day=MON, hour=10, counts={zones["Øst"].pk: {"occupied": 1}})
    wp.refresh_from_db()
    assert wp.version == before + 1


def test_the_english_step_page_names_the_mapping_and_area_programme_in_english(client, doc_project):
    """The extra content (proximity, studies, area totals, plans) is signed in bokmål and named in English."""
    wp, study, _zones, (a, b) = small_study(doc_project)
    space.proximity_save(work_product=wp, by=doc_project.owner, needs={(a.pk, b.pk): 3})
    step = Step.objects.get(project=doc_project, activity=wp.activity, kind="working_group")
    step = participation.step_send(step=step, by=doc_project.owner)
    assert "Nærhetsbehov Økonomi – Innkjøp" in step.content
    rep = doc_project.safety_rep
    rep.preferred_language = "en"
    rep.save()
    client.force_login(rep)
    page = client.get(reverse("participation:step", args=[doc_project.pk, step.pk])).content.decode()
    assert "<dt>Proximity need Økonomi – Innkjøp</dt>" in page
    assert "<dt>Occupancy study «Før flytting»</dt>" in page
    assert "Nærhetsbehov" not in page and "Tilstedeværelsesregistrering «" not in page
    programme = area_programme(doc_project)
    content = wp_selectors.workproduct_content(programme)["fields"]
    with translation.override("en"):
        labels = [wp_selectors.field_label("area_programme", k, label) for k, label, _v in content]
    assert {"Net area", "Area with circulation and walls", "m² per employee"} <= set(labels)
    assert any(label.startswith("Total for ") for label in labels)
    assert not any(label.startswith(("Sum for", "Netto", "Totalt for")) for label in labels)


def test_proximity_is_stored_per_pair_and_read_both_ways(doc_project):
    wp, _study, _zones, (a, b) = small_study(doc_project)
    owner = doc_project.owner
    c = workproduct_row_save(work_product=wp, section="units", by=owner, data={"name": "HR", "headcount": 3})
    space.proximity_save(work_product=wp, by=doc_project.owner, needs={(b.pk, a.pk): 3, (a.pk, c.pk): 1})
    matrix = {(row.name, cell.col.name): cell.need for row, cells in selectors.proximity_matrix(wp) for cell in cells}
    assert matrix[("Økonomi", "Innkjøp")] == matrix[("Innkjøp", "Økonomi")] == 3
    assert matrix[("HR", "Økonomi")] == 1 and matrix[("HR", "Innkjøp")] == 0 and matrix[("HR", "HR")] is None
    with pytest.raises(ValidationError):
        space.proximity_save(work_product=wp, by=doc_project.owner, needs={(a.pk, b.pk): 4})


def test_a_round_with_more_people_than_places_writes_nothing(doc_project):
    _wp, study, zones, _ = small_study(doc_project)
    with pytest.raises(ValidationError) as exc:
        space.round_save(
            study=study, by=doc_project.owner, day=MON, hour=11,
            counts={zones["Øst"].pk: {"occupied": 2}, zones["Vest"].pk: {"occupied": 5, "away": 1}},
        )  # fmt: skip
    assert "Vest" in str(exc.value.messages)
    assert not Observation.objects.filter(study=study, hour=11).exists()
    with pytest.raises(ValidationError):
        space.round_save(study=study, by=doc_project.owner, day=MON - datetime.timedelta(days=1), hour=8, counts={})


def test_a_study_longer_than_two_weeks_is_refused(doc_project):
    workproduct_start(project=doc_project, kind="mapping", by=doc_project.owner)
    with pytest.raises(ValidationError) as exc:
        space.study_save(
            project=doc_project, by=doc_project.owner,
            data={"name": "For lang", "starts_on": MON, "ends_on": MON + datetime.timedelta(days=30)},
        )  # fmt: skip
    assert "ends_on" in exc.value.error_dict


def test_representatives_read_but_do_not_write(doc_project):
    wp, study, zones, _ = small_study(doc_project)
    for person in (doc_project.safety_rep, doc_project.union_rep, coordinator()):
        with pytest.raises(PermissionDenied):
            space.round_save(study=study, by=person, day=MON, hour=10, counts={zones["Øst"].pk: {"occupied": 1}})
    manager = doc_project.manager
    assert space.round_save(study=study, by=manager, day=MON, hour=10, counts={zones["Øst"].pk: {"occupied": 1}})


# Area programme ------------------------------------------------------------------------------------------------

LINES = [  # (room type, count, m² each): net 90 + 18 + 43 + 12 = 163 m²
    ("Åpen arbeidsplass", 15, Decimal("6.0")),
    ("Fokusrom", 2, None),  # the catalogue's 6 m²
    ("Telefonrom", 2, Decimal("3.0")),
    ("Lite møterom (2–4)", 2, Decimal("8.0")),
    ("Mellomstort møterom (8–12)", 1, Decimal("27.0")),
    ("Sosial sone / tekjøkken", 1, Decimal("12.0")),
]


def area_programme(project, *, employees=20, addition=30, lines=LINES):
    wp = workproduct_start(project=project, kind="area_programme", by=project.owner)
    workproduct_save(
        work_product=wp, by=project.owner,
        data={"main_profile": "collaboration", "employees": employees, "addition_percent": addition},
    )  # fmt: skip
    for name, count, m2 in lines:
        workproduct_row_save(
            work_product=wp, section="rooms", by=project.owner,
            data={"room_type": RoomType.objects.get(name=name), "count": count, "m2_each": m2},
        )  # fmt: skip
    return wp


def test_area_totals_per_zone_and_per_employee_by_hand(doc_project):
    assert doc_project.kind == "rebuild"
    wp = area_programme(doc_project)
    check = selectors.area_check(wp, doc_project)
    totals = {str(z): m2 for z, m2 in check.zone_totals}
    assert totals == {
        "Arbeidsplasser": Decimal("90.0"), "Stillerom og fokusrom": Decimal("18.0"),
        "Møterom": Decimal("43.0"), "Sosial sone": Decimal("12.0"),
    }  # fmt: skip
    assert check.net_m2 == Decimal("163.0")
    assert check.gross_m2 == Decimal("211.9")  # 163 + 30 %
    assert check.per_employee == Decimal("10.6")  # 211.9 / 20
    assert check.norm_max == Decimal("28.0") and not check.over_norm
    assert check.workstations == 15 and check.small_workstations == []


def test_above_the_norm_and_small_workstations_warn(doc_project):
    lines = [("Åpen arbeidsplass", 7, Decimal("5.0")), *LINES[1:]]  # 35 + 18 + 43 + 12 = 108 m²
    wp = area_programme(doc_project, employees=4, addition=0, lines=lines)
    check = selectors.area_check(wp, doc_project)
    assert check.per_employee == Decimal("27.0") and not check.over_norm  # 108 / 4, under 28
    doc_project.kind = "new_premises"
    doc_project.save()
    check = selectors.area_check(wp, doc_project)
    assert check.norm_max == Decimal("23.0") and check.over_norm
    assert [str(x.room_type) for x in check.small_workstations] == ["Åpen arbeidsplass"]


def test_the_norm_follows_what_coordinators_set(doc_project):
    wp = area_programme(doc_project, employees=7)  # 211.9 / 7 = 30.3
    assert selectors.area_check(wp, doc_project).over_norm
    boss = coordinator()
    space.area_norm_save(by=boss, project_kind="rebuild", max_m2_per_employee=Decimal("31"))
    assert not selectors.area_check(wp, doc_project).over_norm
    with pytest.raises(PermissionDenied):
        space.area_norm_save(by=doc_project.owner, project_kind="rebuild", max_m2_per_employee=Decimal("40"))
    assert AreaNorm.objects.get(project_kind="rebuild").max_m2_per_employee == Decimal("31")


def test_only_coordinators_keep_the_catalogue_and_withdrawn_rooms_cannot_be_chosen(doc_project):
    with pytest.raises(PermissionDenied):
        space.room_type_save(by=doc_project.owner, name="Bibliotek", zone="special", m2=Decimal("20"))
    boss = coordinator()
    room = space.room_type_save(by=boss, name="Bibliotek", zone="special", m2=Decimal("20"))
    space.room_type_save(by=boss, room_type=room, active=False)
    wp = workproduct_start(project=doc_project, kind="area_programme", by=doc_project.owner)
    with pytest.raises(ValidationError) as exc:
        workproduct_row_save(
            work_product=wp, section="rooms", by=doc_project.owner, data={"room_type": room, "count": 1}
        )
    assert "room_type" in exc.value.error_dict


def test_the_default_catalogue_and_norms_are_there():
    names = set(RoomType.objects.values_list("name", flat=True))
    assert {"Åpen arbeidsplass", "Stillerom", "Telefonrom", "Stort møterom (14+)", "Garderobe"} <= names
    assert AreaNorm.objects.get(project_kind="new_premises").max_m2_per_employee == Decimal("23.0")
    assert AreaNorm.objects.get(project_kind="rebuild").max_m2_per_employee == Decimal("28.0")


def test_both_documents_are_listed_on_the_documents_tab(doc_project):
    kinds = [e.kind.key for e in wp_selectors.project_documents(project=doc_project)]
    assert "mapping" in kinds and "area_programme" in kinds
    assert not WorkProduct.objects.filter(project=doc_project, kind="mapping").exists()
    assert Role.OWNER
