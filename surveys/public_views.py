"""The page a personal link opens, for people without an account: answer a survey once, or comment on a draft.

It works without JavaScript (no script is loaded), on a phone, in bokmål, nynorsk and English (links at the top,
kept in the form). The link's token is hidden in every log (config/redact.py, which also covers the Referer the
page's own CSS request carries); the page sends the Referer to no other site and is not stored by the browser.
"""

from django.shortcuts import render
from django.utils import timezone, translation
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from projects.forms import service_errors

from . import services
from .forms import AnswerForm, CommentForm
from .models import in_language
from .services import AnswerOutcome

LANGS = (("nb", "Bokmål"), ("nn", "Nynorsk"), ("en", "English"))


def _lang(request):
    lang = request.POST.get("lang") or request.GET.get("lang") or ""
    return lang if lang in dict(LANGS) else "nb"


def _respond(request, template, context, status=200):
    response = render(request, template, {"langs": LANGS, **context}, status=status)
    # same-origin, not no-referrer: a form posted under no-referrer carries "Origin: null", which the CSRF check
    # refuses (the browser test found it). Same-origin Referers reach only our own logs, which hide the token.
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
@csrf_protect
def answer(request, token):
    lang = _lang(request)
    with translation.override(lang):
        link = services.link_resolve(token)
        if link is None:
            return _respond(request, "surveys/public/unknown.html", {"lang": lang}, status=404)
        if link.round is not None:
            return _comment(request, link, lang)
        survey = link.survey
        context = {"lang": lang, "survey": survey, "project": survey.project, "min_group": services.min_group()}
        if link.invitation is not None and link.invitation.answered:
            return _respond(request, "surveys/public/done.html", {**context, "outcome": AnswerOutcome.ALREADY})
        if survey.is_closed():
            return _respond(request, "surveys/public/done.html", {**context, "outcome": AnswerOutcome.CLOSED})
        form = AnswerForm(request.POST or None, survey=survey, lang=lang)
        if request.method == "POST" and form.is_valid():
            values = {k: v for k, v in form.cleaned_data.items() if k != "free_text"}
            with service_errors(form):
                outcome = services.survey_answer(
                    link=link, values=values, free_text=form.cleaned_data.get("free_text", "")
                )
                return _respond(request, "surveys/public/done.html", {**context, "outcome": outcome})
        intro = survey.questions.get("intro")
        return _respond(
            request,
            "surveys/public/answer.html",
            {
                **context,
                "form": form,
                "intro": in_language(intro, lang) if intro else "",
                "not_yet": survey.opens_on > timezone.localdate(),
            },
            status=400 if form.errors else 200,
        )


def _comment(request, link, lang):
    round_ = link.round
    context = {"lang": lang, "round": round_, "project": round_.project}
    if not round_.is_open():
        return _respond(request, "surveys/public/comment_done.html", {**context, "closed": True})
    form = CommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            services.round_comment(link=link, text=form.cleaned_data["text"])
            return _respond(request, "surveys/public/comment_done.html", {**context, "closed": False})
    return _respond(
        request, "surveys/public/comment.html", {**context, "form": form}, status=400 if form.errors else 200
    )
