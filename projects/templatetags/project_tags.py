from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from projects import extensions

register = template.Library()

CORE_TABS = [
    extensions.Tab("overview", _("Overview"), "projects:detail", 0),
    extensions.Tab("members", _("Members"), "projects:members", 80),
    extensions.Tab("history", _("History"), "projects:history", 90),
]


@register.inclusion_tag("projects/_tabs.html", takes_context=True)
def project_tabs(context, project, active):
    user = context["request"].user
    tabs = sorted([*CORE_TABS, *extensions.TABS], key=lambda t: t.order)
    shown = []
    for t in tabs:
        if t.perm != "projects.view_project" and not user.has_perm(t.perm, project):
            continue
        shown.append({"key": t.key, "label": str(t.label), "url": reverse(t.url_name, args=[project.pk])})
    return {"tabs": shown, "active": active}
