"""A comment round's outcome in the participation step the representatives sign (issue 25 point 7).

Consultation steps (drøfting) of a project carry, as content another app provides (hook `step_content`, read when
the step's activity has no work product of its own, as the floor plan's and the rules of use's consultations),
each comment round's summary and the owner's answers to the comments — never the comments themselves, which are
for the owner and the representatives only and never printed. Stored in bokmål (the content's hash must not
depend on who reads it); participation/snapshot.py renders it (layout's piece).
"""

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from projects import extensions
from workproducts.registry import StepContent

STEP_KIND = "consultation"
CONTENT_KEY = "comment_rounds"
TITLE = gettext_lazy("Comment rounds")


def comment_rounds_content(project_id):
    from .models import Comment, CommentRound

    rounds = list(CommentRound.objects.filter(project_id=project_id).order_by("created_at", "pk"))
    answers = {}
    for comment in Comment.objects.filter(round__project_id=project_id).exclude(answer="").order_by("number", "id"):
        answers.setdefault(comment.round_id, []).append(comment)
    fields = []
    with translation.override("nb"):
        summary_label, answer_label = _("Summary of what was said"), _("The project answers")
        for round_ in rounds:
            if not round_.summary and round_.pk not in answers:
                continue
            name = _("Comment round «%(title)s»") % {"title": round_.title}
            fields.append([f"rounds.{round_.pk}.summary", f"{name} · {summary_label}", round_.summary])
            for i, comment in enumerate(answers.get(round_.pk, []), 1):
                number = comment.number or i
                label = _("Comment round «%(title)s», comment %(n)s") % {"title": round_.title, "n": number}
                fields.append([f"answers.{round_.pk}-{number}.answer", f"{label} · {answer_label}", comment.answer])
        title = str(TITLE)
    if not fields:
        return None
    return {"kind": CONTENT_KEY, "title": title, "fields": fields}


def comment_rounds_url(project, user):
    if user.has_perm("surveys.view_surveys", project):
        return reverse("surveys:index", args=[project.pk]) + "#rounds-heading"
    return None


extensions.register(
    "step_content",
    StepContent(STEP_KIND, CONTENT_KEY, comment_rounds_content, comment_rounds_url, title=TITLE),
)
