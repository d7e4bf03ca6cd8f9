"""Whoever may edit an item removes its files, after a confirmation page; the history keeps the removal.
The hint under the file field names exactly the types the upload accepts."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from phases import services
from projects.models import Role
from projects.uploads import ALLOWED_ATTACHMENT_TYPES
from tests.factories import member
from tests.phases.conftest import item

pytestmark = pytest.mark.django_db


def _attach(project, it, by):
    upload = SimpleUploadedFile("referat.txt", b"Referat fra verkstedet", content_type="text/plain")
    return services.attachment_add(item=it, by=by, upload=upload)


def test_member_removes_a_file_from_their_item_after_confirming(client, project, owner):
    it = item(project, "workshop")
    worker = member(project, Role.MEMBER, full_name="Mona Medlem")
    services.item_plan(item=it, by=owner, assignee=worker, due_date=None)
    attachment = _attach(project, it, owner)
    client.force_login(worker)
    page = client.get(reverse("phases:item", args=[project.pk, it.pk])).content.decode()
    url = reverse("phases:attachment_remove", args=[project.pk, attachment.pk])
    assert f'href="{url}"' in page

    confirm = client.get(url).content.decode()
    assert "referat.txt" in confirm and "Ja, fjern" in confirm
    assert it.attachments.exists()

    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("phases:item", args=[project.pk, it.pk])
    assert "«referat.txt» er fjernet." in response.content.decode()
    assert not it.attachments.exists()
    history = client.get(reverse("projects:history", args=[project.pk])).content.decode()
    assert history.count("referat.txt") >= 2  # added, then removed by Mona


@pytest.mark.parametrize("role", [Role.VIEWER, Role.SAFETY_REP])
def test_readers_cannot_remove_files(client, project, owner, role):
    attachment = _attach(project, item(project, "workshop"), owner)
    client.force_login(member(project, role))
    url = reverse("phases:attachment_remove", args=[project.pk, attachment.pk])
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    assert type(attachment).objects.filter(pk=attachment.pk).exists()


def test_the_hint_names_exactly_the_accepted_types(client, project, owner):
    client.force_login(owner)
    html = client.get(reverse("phases:item", args=[project.pk, item(project, "workshop").pk])).content.decode()
    assert "Godkjente filtyper: .csv, .docx, .jpeg, .jpg, .ods, .odt, .pdf, .png, .pptx, .txt, .xlsx" in html
    assert 'accept="' + ",".join(sorted(ALLOWED_ATTACHMENT_TYPES)) + '"' in html
    assert "Word" not in html.split("Godkjente filtyper")[1][:200]
