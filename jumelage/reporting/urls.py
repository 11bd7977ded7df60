"""Public IATI file of each member authority, and the back-office page of its export checks."""

from django.urls import path

from jumelage.reporting import views

app_name = "reporting"

urlpatterns = [
    path("iati/<slug:slug>/activities.xml", views.iati_activities, name="iati_activities"),
    path("reporting/iati/<slug:slug>/", views.iati_check, name="iati_check"),
]
