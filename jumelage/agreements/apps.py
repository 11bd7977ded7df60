from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "jumelage.agreements"
    label = "agreements"
    verbose_name = _("Agreements")

    def ready(self) -> None:
        # Registers the app's rules (tenancy.services.register_rule), so every write runs them.
        from jumelage.agreements import services  # noqa: F401
