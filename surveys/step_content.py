"""A comment round's outcome in the one participation step it belongs to (issue 25 point 7).

The owner picks the step when publishing the round: a consultation step (drøfting) of the project whose current
version is not signed by everyone and whose phase is not completed (`eligible_steps`). That step's content carries,
as a block (hook `step_block`, participation/services.py), the round's summary and the owner's answers to the
comments — never the comments themselves, which are for the owner and the representatives only and never
printed. No other step of the project carries it. Stored in bokmål (the content's hash must not depend on who
reads it); participation/snapshot.py renders it.

What was signed never changes: a changed summary or answer only recomputes the step's draft (`step_refresh`), so the
step shows an unsent change and the representatives see the difference when the owner sends it again.
"""

from django.utils import translation
from django.utils.translation import gettext as _

from projects import extensions

STEP_KINDS = ("consultation",)


def step_refusal(view) -> str | None:
    """Why a round cannot belong to this step (a participation StepView), or None when it can."""
    step = view.step
    if step.kind not in STEP_KINDS:
        return _("not a consultation step")
    if step.activity.phase.completed_at is not None:
        return _("its phase is completed")
    if step.is_sent and view.complete:
        return _("signed by every representative")
    return None


def round_steps(project) -> tuple[list, list]:
    """The project's steps a round may belong to, and its other consultation steps with why each is not offered
    ([(step, reason)])."""
    from participation.selectors import project_steps

    offered, refused = [], []
    for view in project_steps(project=project):
        reason = step_refusal(view)
        if reason is None:
            offered.append(view.step)
        elif view.step.kind in STEP_KINDS:
            refused.append((view.step, reason))
    return offered, refused


def block_key(round_) -> str:
    return f"comment-round-{round_.pk}"


def round_block(round_, answered) -> dict | None:
    """The block of one round: its summary and each answered comment's answer (numbered as the round numbers its
    comments), labelled in bokmål; None while there is neither."""
    if not round_.summary and not answered:
        return None
    with translation.override("nb"):
        fields = []
        if round_.summary:
            fields.append(["summary", _("Summary of what was said"), round_.summary])
        for i, comment in enumerate(answered, 1):
            number = comment.number or i
            label = _("The project's answer to comment %(n)s") % {"n": number}
            fields.append([f"answer-{number}", label, comment.answer])  # a labelled line, like the summary
        title = _("Comment round «%(title)s»") % {"title": round_.title}
    return {"key": block_key(round_), "title": title, "fields": fields}


def _step_block(step):
    """Hook `step_block`: the rounds that belong to this step, oldest first, one block each (or None)."""
    if step.kind not in STEP_KINDS:
        return None  # no query for the other kinds
    from .models import Comment, CommentRound

    rounds = list(CommentRound.objects.filter(step_id=step.pk).order_by("created_at", "pk"))
    if not rounds:
        return None
    answered = {}
    for comment in (
        Comment.objects.filter(round__in=rounds).exclude(answer="").only("round_id", "number", "answer")
        .order_by("number", "id")
    ):  # fmt: skip
        answered.setdefault(comment.round_id, []).append(comment)
    blocks = [b for r in rounds if (b := round_block(r, answered.get(r.pk, [])))]
    if not blocks:
        return None
    if len(blocks) == 1:
        return blocks[0]
    with translation.override("nb"):
        title = _("Comment rounds")
    fields = [
        [f"{b['key']}-{key}", f"{b['title']} · {label}", value] for b in blocks for key, label, value in b["fields"]
    ]
    return {"key": "comment-rounds", "title": title, "fields": fields}


extensions.register("step_block", _step_block)
