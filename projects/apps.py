from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "projects"
    verbose_name = _("Projects")

    def ready(self):
        # Every installed app's hooks.py, in INSTALLED_APPS order: how the apps plug in (projects.extensions).
        autodiscover_modules("hooks")
        from . import checks  # noqa: F401  (system checks)
