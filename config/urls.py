from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from config.health import healthz
from dashboard import views as dashboard_views
from projects import oidc
from projects import views as project_views
from projects.auth_views import LoginView, LogoutView, PasswordResetView, admin_login, local_login_only

admin.site.site_header = _("Prosessguiden administration")
admin.site.site_title = _("Prosessguiden")

urlpatterns = [
    path("", project_views.home, name="home"),
    path("projects/overview/", include("dashboard.urls")),  # before projects.urls: the paths stay where they were
    path("projects/", include("projects.urls")),
    path("", include("phases.urls")),
    path("", include("space.urls")),  # before workproducts: its generic patterns would take the mapping's pages
    path("", include("workproducts.urls")),
    path("", include("participation.urls")),
    path("", include("evaluation.urls")),
    path("", include("surveys.urls")),
    path("", include("toolbox.urls")),
    path("", include("lessons.urls")),
    path("", include("archive.urls")),
    path("settings/", project_views.user_settings, name="settings"),
    path("settings/my-data/", project_views.my_data, name="my_data"),
    path("settings/my-data/<int:export_id>/", project_views.my_data_download, name="my_data_download"),
    path("tasks/", project_views.my_tasks, name="tasks"),
    path("system/", dashboard_views.system, name="system"),
    path("calendar/", project_views.calendar, name="calendar"),
    path("calendar/new-address/", project_views.calendar_regenerate, name="calendar_regenerate"),
    path("calendar/<str:token>.ics", project_views.calendar_feed, name="calendar_feed"),
    path(
        "calendar/<str:token>/<int:project_id>.ics", project_views.calendar_project_feed, name="calendar_project_feed"
    ),
    path("notifications/", project_views.notifications, name="notifications"),
    path("notifications/read/", project_views.notifications_read_all, name="notifications_read_all"),
    path("notifications/<int:notification_id>/", project_views.notification_open, name="notification_open"),
    path("notifications/<int:notification_id>/read/", project_views.notification_read, name="notification_read"),
    path("language/", project_views.set_language, name="set_language"),
    path("account/login/", LoginView.as_view(), name="login"),
    path("account/logout/", LogoutView.as_view(), name="logout"),
    *[
        path(f"account/{route}", local_login_only(view.as_view()), name=name)
        for route, view, name in [
            ("password_change/", auth_views.PasswordChangeView, "password_change"),
            ("password_change/done/", auth_views.PasswordChangeDoneView, "password_change_done"),
            ("password_reset/", PasswordResetView, "password_reset"),
            ("password_reset/done/", auth_views.PasswordResetDoneView, "password_reset_done"),
            ("reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView, "password_reset_confirm"),
            ("reset/done/", auth_views.PasswordResetCompleteView, "password_reset_complete"),
        ]
    ],
    path("oidc/authenticate/", oidc.LoginStart.as_view(), name="oidc_authentication_init"),
    path("oidc/callback/", oidc.LoginCallback.as_view(), name="oidc_authentication_callback"),
    path("healthz", healthz, name="healthz"),
    path("accessibility/", project_views.accessibility, name="accessibility"),
    path("privacy/", project_views.privacy, name="privacy"),
    path("admin/login/", admin_login),
    path("admin/", admin.site.urls),
]
