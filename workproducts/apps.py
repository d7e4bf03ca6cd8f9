from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkproductsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "workproducts"
    verbose_name = _("Work products")
