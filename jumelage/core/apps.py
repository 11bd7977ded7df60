from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "jumelage.core"
    label = "core"
    verbose_name = _("Reference data")

    def ready(self) -> None:
        from jumelage.core import converters

        converters.register()
        _hide_the_queues_admin_pages()


def _hide_the_queues_admin_pages() -> None:
    """The task queues' own admin pages (django-tasks-db's results, django-rq's dashboard) show
    every task's arguments, which hold e-mails with password-reset links and other users' jobs:
    no one reads them in the back office (operators use the commands, docs/operators.md). The
    admin registered them when it loaded the apps' admin modules, before this runs."""
    from django.contrib import admin

    for model in list(admin.site._registry):
        if model._meta.app_label in {"django_tasks_database", "django_rq"}:
            admin.site.unregister(model)
