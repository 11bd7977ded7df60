from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenancyConfig(AppConfig):
    name = "jumelage.tenancy"
    label = "tenancy"
    verbose_name = _("Member authorities")

    def ready(self) -> None:
        # The back office of members and of the audit log (the admin loads `tenancy.admin`,
        # the base classes, by itself).
        from jumelage.tenancy.history import admin as history_admin  # noqa: F401
        from jumelage.tenancy.members import admin as members_admin  # noqa: F401
