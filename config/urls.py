"""Root URLs, under a language prefix (none for French, /en/ for English): the back office,
the officers' workspace (/espace/, /en/workspace/), the reports, then the public site, whose
/<slug>/ pages match what the others do not."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.utils.translation import gettext_lazy as _

from jumelage.api.api import api, unknown_address
from jumelage.core.health import healthz
from jumelage.tenancy.members.views import invitation_accept

urlpatterns: list[URLPattern | URLResolver] = [
    path("healthz", healthz, name="healthz"),  # for the load balancer: docs/operators.md
    path("i18n/", include("django.conf.urls.i18n")),
    path("documents/", include("jumelage.content.urls")),
    path("api/v1/", api.urls),
    re_path(r"^api/(?P<rest>.*)$", unknown_address),  # a JSON 404, not the site's HTML page
]
urlpatterns += i18n_patterns(
    path("admin/", include("jumelage.accounts.urls")),
    path("admin/invitation/<str:token>/", invitation_accept, name="invitation_accept"),
    path("admin/", admin.site.urls),
    path(_("workspace/"), include("jumelage.workspace.urls")),
    path("", include("jumelage.reporting.urls")),
    path("", include("jumelage.public.urls")),
    prefix_default_language=False,
)
