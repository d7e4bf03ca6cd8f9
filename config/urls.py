from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from projects import views as project_views
from projects.auth_forms import EmailAuthenticationForm

admin.site.site_header = _("Prosessguiden administration")
admin.site.site_title = _("Prosessguiden")

urlpatterns = [
    path("", project_views.home, name="home"),
    path("projects/", include("projects.urls")),
    path("", include("phases.urls")),
    path("", include("participation.urls")),
    path("settings/", project_views.user_settings, name="settings"),
    path("language/", project_views.set_language, name="set_language"),
    path(
        "account/login/",
        auth_views.LoginView.as_view(authentication_form=EmailAuthenticationForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("account/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
]
