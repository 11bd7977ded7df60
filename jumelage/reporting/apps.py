from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "jumelage.reporting"
    label = "reporting"
    verbose_name = _("Reporting (IATI)")

    def ready(self) -> None:
        from jumelage.core.tasks import register_recovery
        from jumelage.reporting.spreadsheets import jobs

        # The workers enqueue again the spreadsheet jobs whose run was abandoned.
        register_recovery(jobs.recover_abandoned)
