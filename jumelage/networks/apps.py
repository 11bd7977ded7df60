from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworksConfig(AppConfig):
    name = "jumelage.networks"
    label = "networks"
    verbose_name = _("Networks")

    def ready(self) -> None:
        # Registers the rules that every write of networks and their members runs.
        from jumelage.networks import services  # noqa: F401
