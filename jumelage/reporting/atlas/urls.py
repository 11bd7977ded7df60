"""The Atlas sheets in the back office, under /reporting/atlas/ (names in "reporting:")."""

from django.urls import path

from jumelage.reporting.atlas import views

urlpatterns = [
    path("<slug:slug>/", views.sheets_page, name="atlas_sheets"),
    path("<slug:slug>/atlas.xlsx", views.sheets_file, name="atlas_file"),
]
