from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "jumelage.core"
    label = "core"
    verbose_name = _("Reference data")

    def ready(self) -> None:
        from jumelage.core import converters

        converters.register()
