"""The ODA declaration in the back office, under /reporting/oda/ (names in "reporting:")."""

from django.urls import path

from jumelage.reporting.oda import views

urlpatterns = [
    path("<slug:slug>/", views.declaration_current, name="oda_declaration_current"),
    path("<slug:slug>/<year:year>/", views.declaration_page, name="oda_declaration"),
    path(
        "<slug:slug>/<year:year>/declaration.<str:extension>",
        views.declaration_file,
        name="oda_declaration_file",
    ),
]
