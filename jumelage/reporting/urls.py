"""Public IATI file of each member authority, and the back-office page of its export checks."""

from django.urls import include, path

from jumelage.reporting import views

app_name = "reporting"

urlpatterns = [
    path("iati/<slug:slug>/activities.xml", views.iati_activities, name="iati_activities"),
    path("reporting/iati/<slug:slug>/", views.iati_check, name="iati_check"),
    path("reporting/oda/", include("jumelage.reporting.oda.urls")),
    path("reporting/atlas/", include("jumelage.reporting.atlas.urls")),
    path("reporting/budgets/", include("jumelage.reporting.budgets.urls")),
    path("reporting/spreadsheets/", include("jumelage.reporting.spreadsheets.urls")),
]
