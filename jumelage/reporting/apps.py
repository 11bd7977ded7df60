from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "jumelage.reporting"
    label = "reporting"
    verbose_name = _("Reporting (IATI)")
