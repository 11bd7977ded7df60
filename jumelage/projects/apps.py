from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "jumelage.projects"
    label = "projects"
    verbose_name = _("Projects")

    def ready(self) -> None:
        # Registers the rules (tenancy.services.register_rule) that every write runs.
        from jumelage.projects import application_services, result_services, services  # noqa: F401
