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
    tabs = sorted([*CORE_TABS, *extensions.get("project_tab")], key=lambda t: t.order)
    shown = []
    for t in tabs:
        if t.perm != "projects.view_project" and not user.has_perm(t.perm, project):
            continue
        shown.append({"key": t.key, "label": str(t.label), "url": reverse(t.url_name, args=[project.pk])})
    return {"tabs": shown, "active": active}


@register.inclusion_tag("projects/_documents.html", takes_context=True)
def documents_panel(context, project, kind):
    """The versions of a generated document with the button that makes a new one (polls while one is made)."""
    from projects.views import _documents_context

    return _documents_context(context["request"], project, kind)


@register.filter
def css_string(value):
    """Text for a CSS string in a PDF template's <style> (running headers): every character that CSS or HTML
    could read otherwise becomes a CSS hex escape, so "A-B & C's" prints as written."""
    from django.utils.safestring import mark_safe

    out = []
    for ch in str(value):
        if ch.isalnum() or ch in " .,:;!?()[]/_":
            out.append(ch)
        else:
            out.append(f"\\{ord(ch):x} ")
    return mark_safe("".join(out))  # noqa: S308 (every special character is escaped above)


@register.simple_tag(takes_context=True)
def sort_link(context, key):
    """The query string that sorts by `key` (ascending, or descending when it already sorts ascending)."""
    params = context["request"].GET.copy()
    params.pop("page", None)
    params["sort"] = f"-{key}" if context.get("sort") == key else key
    return "?" + params.urlencode()


@register.filter
def hash_groups(value):
    """A SHA-256 in groups of eight characters, so a printed hash wraps between groups and reads aloud."""
    value = str(value or "")
    return " ".join(value[i : i + 8] for i in range(0, len(value), 8))


PERCENT_UNITS = {"%", "prosent", "percent", "pst", "pst."}


@register.filter
def number(value):
    """A number as Norwegians read it: the language's decimal separator, at most two decimals, no trailing zeros,
    and a real minus sign (U+2212), not a hyphen: −0,8."""
    from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

    from django.utils.formats import number_format

    if value is None or value == "":
        return ""
    try:
        rounded = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP).normalize()
    except InvalidOperation:
        return str(value)
    if rounded == rounded.to_integral_value():
        rounded = rounded.quantize(Decimal(1))  # 1E+2 → 100
    return number_format(rounded).replace("-", "\u2212")


@register.filter
def difference(change, unit=""):
    """A change from before to after, signed (+13, −0,8, 0). A change of a percentage is in percentage points:
    from 58 % to 71 % is +13 percentage points, not +13 %."""
    from django.utils.translation import gettext

    if change is None:
        return ""
    shown = number(change)
    sign = "+" if change > 0 else ""
    unit = (unit or "").strip()
    if unit.lower() in PERCENT_UNITS:
        unit = gettext("percentage points")
    return f"{sign}{shown} {unit}".strip()
