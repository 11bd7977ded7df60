from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActorsConfig(AppConfig):
    name = "jumelage.actors"
    label = "actors"
    verbose_name = _("Local actors and people")

    def ready(self) -> None:
        # Registers the rules that every write of actors and people runs.
        from jumelage.actors import services  # noqa: F401
