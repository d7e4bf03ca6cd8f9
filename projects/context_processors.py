from django.conf import settings

from . import extensions, selectors


def navigation(request):
    """What the top bar may show: only the entries this person may use."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"languages": settings.LANGUAGES}
    return {
        "languages": settings.LANGUAGES,
        "nav": {
            "admin": user.is_staff,
            "password": settings.LOCAL_LOGIN_ENABLED,
            "items": [item for item in (fn(request) for fn in extensions.get("nav_item")) if item],
            "unread": selectors.unread_count(user=user),
        },
    }
