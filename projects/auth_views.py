"""Log-in pages: e-mail and password, single sign-on, or both, as the installation is configured."""

from functools import wraps

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from .auth_forms import EmailAuthenticationForm


def local_login_only(view):
    """Password pages answer 404 while local log-in is switched off."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not settings.LOCAL_LOGIN_ENABLED:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


class LoginView(auth_views.LoginView):
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if not settings.LOCAL_LOGIN_ENABLED:
            raise Http404
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["local_login"] = settings.LOCAL_LOGIN_ENABLED
        context["sso"] = settings.OIDC_ENABLED
        context["sso_provider"] = settings.OIDC_PROVIDER_NAME
        return context


class LogoutView(auth_views.LogoutView):
    """Log out here, and at the single sign-on provider too when it offers an end-session endpoint."""

    def post(self, request, *args, **kwargs):
        id_token = request.session.get("oidc_id_token")
        response = super().post(request, *args, **kwargs)
        if id_token and settings.OIDC_ENABLED and settings.OIDC_OP_END_SESSION_ENDPOINT:
            from .oidc import end_session_url

            return redirect(end_session_url(id_token))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password-reset form; the request is limited per client address and per e-mail address, and the
    e-mail is sent by the worker with a link from SITE_URL (services.password_reset_request)."""

    def form_valid(self, form):
        from .services import password_reset_request
        from .throttling import axes_client_ip

        try:
            password_reset_request(email=form.cleaned_data["email"], ip_address=axes_client_ip(self.request))
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return HttpResponseRedirect(self.get_success_url())


def admin_login(request, extra_context=None):
    """The admin has no log-in page of its own when local log-in is off: it uses ours (single sign-on)."""
    if settings.LOCAL_LOGIN_ENABLED:
        return admin.site.login(request, extra_context)
    return redirect(f"{reverse('login')}?{urlencode({'next': request.GET.get('next', reverse('admin:index'))})}")
