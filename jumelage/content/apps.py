from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "jumelage.content"
    label = "content"
    verbose_name = _("News and documents")

    def ready(self) -> None:
        # Registers the rules that every write of news items and documents runs.
        from jumelage.content import services  # noqa: F401
