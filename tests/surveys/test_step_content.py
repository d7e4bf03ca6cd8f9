"""Point 7: the owner's summary and answers become part of the consultation step's content; the comments do not."""

import datetime
import json

from participation import services as participation
from participation.models import Step
from surveys import services
from tests.conftest import TEMPLATE_DIR


def test_the_summary_and_the_answers_enter_the_consultation_step_and_the_comments_do_not(project, owner, today):
    from phases.services import process_start, template_load_file

    template = template_load_file(path=TEMPLATE_DIR / "bergen_abw.toml")[0]
    process_start(project=project, template=template, by=owner)
    step = Step.objects.get(project=project, key="house-rules-consultation")
    round_ = services.round_start(
        project=project, by=owner, title="Bruksregler", draft="Utkast", closes_on=today + datetime.timedelta(days=7),
        addresses=[("a@example.no", ""), ("b@example.no", "")], step=step,
    )  # fmt: skip
    recipient = round_.recipients.first()
    comment = services.round_comment(link=services.Link(round=round_, recipient=recipient), text="Hemmelig innspill")
    before = step.draft_hash
    services.comment_answer(comment=comment, by=owner, answer="Vi legger til to telefonrom.")
    services.round_summary_save(round=round_, by=owner, summary="Ønske om flere telefonrom.")
    step.refresh_from_db()
    assert step.draft_hash != before  # the step's draft follows the round
    content = json.loads(participation.step_content(step))
    text = json.dumps(content, ensure_ascii=False)
    assert "Ønske om flere telefonrom." in text and "Vi legger til to telefonrom." in text
    assert "Hemmelig innspill" not in text and "a@example.no" not in text
