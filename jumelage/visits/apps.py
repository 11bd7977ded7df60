from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "jumelage.visits"
    label = "visits"
    verbose_name = _("Visits and delegations")

    def ready(self) -> None:
        # Registers the rules that every write of visits and participants runs.
        from jumelage.visits import services  # noqa: F401
