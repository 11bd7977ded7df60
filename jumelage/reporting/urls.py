"""Public IATI file of each member authority, and the back-office page of its export checks."""

from django.urls import include, path

from jumelage.reporting import views
from jumelage.reporting.oda import views as oda_views

app_name = "reporting"

urlpatterns = [
    path("iati/<slug:slug>/activities.xml", views.iati_activities, name="iati_activities"),
    path("reporting/iati/<slug:slug>/", views.iati_check, name="iati_check"),
    path("reporting/oda/", include("jumelage.reporting.oda.urls")),
    # Not under reporting/oda/, where the next word is an authority's address.
    path("reporting/national/oda/", oda_views.national_current, name="oda_national_current"),
    path("reporting/national/oda/<year:year>/", oda_views.national_page, name="oda_national"),
    path(
        "reporting/national/oda/<year:year>/oda-national.<str:extension>",
        oda_views.national_file,
        name="oda_national_file",
    ),
    path("reporting/atlas/", include("jumelage.reporting.atlas.urls")),
    path("reporting/budgets/", include("jumelage.reporting.budgets.urls")),
    path("reporting/spreadsheets/", include("jumelage.reporting.spreadsheets.urls")),
]
