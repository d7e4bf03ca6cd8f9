"""At 390 px: an employee answers from the e-mail's link (and a second use changes nothing); the owner sees the
results and the change with its interval and sends the figures to the evaluation; HR opens the evaluation report
with the survey's figures and no free text."""

import datetime
import io
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from evaluation import services as evaluation_services
from projects.models import Role
from surveys import services
from surveys.models import Survey
from tests.browser.conftest import check_accessibility, log_in
from tests.factories import PASSWORD, ProjectFactory, hr_adviser, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECRET = "Jeg sliter med å konsentrere meg ved vinduet"


def _answer_rest(survey, noise):
    for i, invitation in enumerate(survey.invitations.filter(answered=False).order_by("pk")):
        link = services.Link(survey=survey, invitation=invitation)
        services.survey_answer(link=link, values={"noise": noise[i % len(noise)], "overall": 4})


def test_an_employee_answers_by_link_the_owner_sees_the_change_and_hr_the_report(chromium, live_server):
    today = timezone.localdate()
    project = ProjectFactory(name="Byggesak flytter", start_date=today - datetime.timedelta(days=500))
    owner = member(project, Role.OWNER, email="kari@example.no", full_name="Kari Nordmann")
    member(project, Role.SAFETY_REP, full_name="Siri Verne")
    hr_adviser(email="hanne@example.no", full_name="Hanne HR")
    questionnaire = services.questionnaires_load_shipped()[0]
    people = [("ola@example.no", "Byggesak")] + [(f"p{i}@example.no", "Byggesak") for i in range(6)]
    dates = {"opens_on": today, "closes_on": today + datetime.timedelta(days=14)}
    mail.outbox.clear()
    baseline = services.survey_start(
        project=project, kind="baseline", by=owner, addresses=people, questionnaire=questionnaire, **dates
    )
    message = next(m for m in mail.outbox if m.to == ["ola@example.no"])
    link = re.search(r"https?://\S+/answer/\S+/", message.body).group(0)
    path = link[link.index("/answer/") :]

    phone = chromium.new_context(base_url=live_server.url, locale="nb-NO", viewport={"width": 390, "height": 844})
    page = phone.new_page()
    page.set_default_timeout(15_000)
    page.goto(path)
    check_accessibility(page, "survey-answer-phone")
    page.get_by_role("group", name=re.compile("konsentrere seg")).get_by_label("2", exact=True).check()
    page.get_by_role("group", name=re.compile("Støynivået")).get_by_label("5 – i svært stor grad").check()
    page.get_by_role("group", name=re.compile("oppbevaring")).get_by_label("Ikke relevant").check()
    page.get_by_label(re.compile("Er det noe mer du vil si")).fill(SECRET)
    page.get_by_role("button", name="Send svarene mine").click()
    expect(page.get_by_role("status")).to_contain_text("Takk! Svarene dine er lagret anonymt.")
    check_accessibility(page, "survey-answered-phone")
    page.goto(path + "?lang=nn")
    expect(page.get_by_role("status")).to_contain_text("Denne lenkja har allereie svart")
    check_accessibility(page, "survey-already-answered-phone-nn")
    phone.close()

    _answer_rest(baseline, [4, 5])
    services.survey_close(survey=baseline, by=owner)
    evaluation_services.movein_record(project=project, by=owner, move_in=today)
    follow_up = services.survey_start(project=project, kind="follow_up", by=owner, addresses=people, **dates)
    _answer_rest(follow_up, [1, 2, 2])
    services.survey_close(survey=follow_up, by=owner)
    assert Survey.objects.get(pk=follow_up.pk).answered_count == 7

    phone = chromium.new_context(base_url=live_server.url, locale="nb-NO", viewport={"width": 390, "height": 844})
    page = phone.new_page()
    page.set_default_timeout(15_000)
    log_in(page, "kari@example.no", PASSWORD)
    page.get_by_role("link", name="Byggesak flytter").click()
    page.get_by_role("link", name="Undersøkelser").click()
    check_accessibility(page, "surveys-tab-phone")
    page.get_by_role("link", name="Se resultatene").last.click()
    expect(page.get_by_role("heading", name="Før og etter")).to_be_visible()
    row = page.get_by_role("row", name=re.compile("Støynivået er akseptabelt"))
    expect(row).to_contain_text("tydelig lavere")
    expect(page.get_by_text(SECRET)).to_have_count(0)  # the follow-up's free text; Ola wrote in the baseline
    check_accessibility(page, "survey-results-phone")
    page.get_by_role("button", name="Legg tallene til i evalueringen").click()
    expect(page.get_by_role("status")).to_contain_text("før/etter-tall er lagt til i evalueringen")
    page.goto(f"/projects/{project.pk}/surveys/baseline/")
    expect(page.get_by_text(SECRET)).to_be_visible()  # the owner reads the free text
    check_accessibility(page, "survey-baseline-results-phone")
    phone.close()

    phone = chromium.new_context(base_url=live_server.url, locale="nb-NO", viewport={"width": 390, "height": 844})
    page = phone.new_page()
    page.set_default_timeout(15_000)
    log_in(page, "hanne@example.no", PASSWORD)
    page.get_by_role("link", name="Rapport for Byggesak flytter").click()
    page.get_by_role("button", name="Lag en ny versjon av evalueringsrapporten").click()
    report = page.get_by_role("link", name="Versjon 1")
    expect(report).to_be_visible(timeout=60_000)
    check_accessibility(page, "survey-hr-report-phone")
    response = page.request.get(report.get_attribute("href"))
    assert response.status == 200
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages).split())
    assert "Støynivået er akseptabelt." in text
    assert "Svarprosent" in text
    assert SECRET not in text
    phone.close()
