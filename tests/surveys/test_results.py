"""What the results show, to whom: a group of 4 shows no figures in any page, export or PDF, a group of 5 does;
free text reaches the owner and the representatives only; the change with its interval; a measure in one step."""

import io

from django.urls import reverse
from pypdf import PdfReader

from evaluation import services as evaluation_services
from evaluation.models import Figure, Measure
from projects.models import GeneratedDocument
from projects.services import document_render
from surveys.services import survey_close
from tests.surveys.conftest import answer_all

SECRET = "Sjefen min er umulig"


def _people(n, unit=""):
    return [(f"p{i}@example.no", unit) for i in range(n)]


def _before_and_after(client, start, owner, project, today, n, *, before=(4, 5), after=(1, 2)):
    baseline = start("baseline", _people(n))
    answer_all(client, baseline, lambda i: {"noise": str(before[i % 2]), "overall": "4"}, free_text=SECRET)
    survey_close(survey=baseline, by=owner)
    evaluation_services.movein_record(project=project, by=owner, move_in=today)
    follow_up = start("follow_up", _people(n))
    answer_all(client, follow_up, lambda i: {"noise": str(after[i % 2]), "overall": "4"}, free_text=SECRET)
    survey_close(survey=follow_up, by=owner)
    return baseline, follow_up


def _pdf(client, project, user, kind="evaluation-report"):
    client.force_login(user)
    doc = GeneratedDocument.objects.create(project=project, kind=kind, version=1, requested_by=user)
    document_render(document_id=doc.pk)
    if user.has_perm("projects.view_project", project):
        response = client.get(reverse("projects:document", args=[project.pk, doc.pk]))
    else:  # HR reads the evaluation report from its own page
        response = client.get(reverse("evaluation:hr_report_download", args=[project.pk, doc.pk]))
    assert response.status_code == 200
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages)
    return " ".join(text.split())  # a label may wrap inside its table cell


def _transfer(client, project, owner):
    client.force_login(owner)
    return client.post(reverse("surveys:transfer", args=[project.pk, "follow-up"]))


def test_a_group_of_four_shows_no_figures_anywhere(client, start, owner, project, today, hr):
    _before_and_after(client, start, owner, project, today, 4)
    client.force_login(owner)
    page = client.get(reverse("surveys:detail", args=[project.pk, "follow-up"])).content.decode()
    assert "Færre enn 5 svarte: ingen tall vises" in page
    assert "færre enn 5 svar" in page  # the response count too
    assert "Gjennomsnitt" not in page and SECRET not in page
    export = b"".join(client.get(reverse("surveys:export", args=[project.pk, "follow-up"])).streaming_content)
    rows = export.decode("utf-8-sig").splitlines()[1:]
    assert len(rows) == 10 and all(row.endswith(";;færre enn 5;;;;;;") for row in rows)  # no counts or means
    _transfer(client, project, owner)
    assert not Figure.objects.filter(source=Figure.Source.SURVEY).exists()
    report = _pdf(client, project, hr)
    assert "Støynivået" not in report and SECRET not in report


def test_a_group_of_five_shows_the_figures_and_the_change(client, start, owner, project, today, hr):
    _before_and_after(client, start, owner, project, today, 5)
    client.force_login(owner)
    page = client.get(reverse("surveys:detail", args=[project.pk, "follow-up"])).content.decode()
    assert "Støynivået er akseptabelt." in page
    # before 4,5,4,5,4 (mean 4,4), after 1,2,1,2,1 (mean 1,4): −3,0 points, interval well below 0.
    assert "4,4" in page and "1,4" in page and "-3,0" in page
    assert "tydelig lavere" in page
    assert "5 av 5 inviterte (100 %)" in page
    export = b"".join(client.get(reverse("surveys:export", args=[project.pk, "follow-up"])).streaming_content).decode()
    assert "Støynivået er akseptabelt." in export and "1,40" in export
    assert SECRET not in export
    _transfer(client, project, owner)
    _transfer(client, project, owner)  # again: replaced, not doubled
    figures = Figure.objects.filter(source=Figure.Source.SURVEY)
    assert figures.filter(label="Støynivået er akseptabelt.").count() == 1
    assert figures.get(label="Svarprosent").after == 100
    report = _pdf(client, project, hr)
    assert "Støynivået er akseptabelt." in report
    assert SECRET not in report
    final = _pdf(client, project, owner, kind="final-documentation")
    assert "Støynivået er akseptabelt." in final and SECRET not in final


def test_free_text_only_for_the_owner_and_the_representatives(client, start, owner, project, today, hr, coord):
    _before_and_after(client, start, owner, project, today, 5)
    url = reverse("surveys:detail", args=[project.pk, "baseline"])
    for user, sees in [
        (owner, True), (project.safety_rep, True), (project.union_rep, True), (project.manager, False),
        (project.viewer, False), (coord, False),
    ]:  # fmt: skip
        client.force_login(user)
        page = client.get(url)
        assert page.status_code == 200
        assert (SECRET in page.content.decode()) is sees, user
    client.force_login(hr)
    assert client.get(url).status_code == 404  # HR has no way into the project's pages
    hr_page = client.get(reverse("evaluation:hr_project", args=[project.pk])).content.decode()
    assert SECRET not in hr_page


def test_units_under_five_are_hidden_with_one_more_so_they_cannot_be_worked_out(client, start, owner, today):
    people = _people(6, "Økonomi") + [(f"l{i}@example.no", "Lønn") for i in range(4)]
    people += [(f"i{i}@example.no", "Innkjøp") for i in range(7)]
    survey = start("baseline", people)
    answer_all(client, survey, lambda i: {"overall": str(1 + i % 5)})
    survey_close(survey=survey, by=owner)
    client.force_login(owner)
    page = client.get(reverse("surveys:detail", args=[survey.project.pk, "baseline"])).content.decode()
    assert "Innkjøp" in page  # 7
    assert "Lønn" not in page  # 4: too few
    assert "Økonomi" not in page  # 6: would give Lønn as 17 − 7 − 6
    assert "2 enheter vises ikke" in page


def test_a_question_that_fell_clearly_becomes_an_hms_measure_in_one_step(client, start, owner, project, today):
    _before_and_after(client, start, owner, project, today, 6)
    client.force_login(owner)
    response = client.post(reverse("surveys:measure", args=[project.pk, "follow-up", "noise"]))
    measure = Measure.objects.get(project=project, source=Measure.Source.SURVEY)
    assert response.url == reverse("evaluation:measure_edit", args=[project.pk, measure.pk])
    assert measure.focus_area == "Støynivået er akseptabelt."
    client.post(reverse("surveys:measure", args=[project.pk, "follow-up", "noise"]))
    assert Measure.objects.filter(project=project, source=Measure.Source.SURVEY).count() == 1
    # "overall" did not change: no measure from it.
    client.post(reverse("surveys:measure", args=[project.pk, "follow-up", "overall"]))
    assert Measure.objects.filter(project=project, source=Measure.Source.SURVEY).count() == 1
