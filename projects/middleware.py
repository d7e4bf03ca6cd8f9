from django.conf import settings
from django.shortcuts import render
from django.utils import translation

from .uploads import StoredFileError


class UserLanguageMiddleware:
    """Use the logged-in user's preferred language unless the browser has chosen one with the switch."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
            and user.preferred_language in dict(settings.LANGUAGES)
        ):
            translation.activate(user.preferred_language)
            request.LANGUAGE_CODE = user.preferred_language
        return self.get_response(request)


class StoredFileErrorMiddleware:
    """A download whose stored file is missing or no longer matches its SHA-256 is shown as an error page
    (status 500, logged by `projects.uploads.verified_copy`), instead of sending bytes nobody can trust."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, StoredFileError):
            return render(request, "errors/stored_file.html", status=500)
        return None
