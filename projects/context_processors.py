from django.conf import settings

from . import extensions


def navigation(request):
    """What the top bar may show: only the entries this person may use."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"languages": settings.LANGUAGES}
    return {
        "languages": settings.LANGUAGES,
        "nav": {
            "dashboard": user.has_perm("projects.view_dashboard"),
            "hr": user.has_perm("projects.view_hr_reports"),
            "admin": user.is_staff,
            "templates": user.has_perm("phases.view_templates"),
            "items": [item for item in (fn(request) for _, fn in extensions.NAV_ITEMS) if item],
        },
    }
