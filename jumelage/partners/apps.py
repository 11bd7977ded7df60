from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "jumelage.partners"
    label = "partners"
    verbose_name = _("Partnerships")

    def ready(self) -> None:
        # Registers the app's rules (tenancy.services.register_rule), so every write runs them.
        from jumelage.partners import services  # noqa: F401
