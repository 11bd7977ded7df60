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
    path(
        "<slug:slug>/<year:year>/split/<id:pk>/",
        views.split_transaction,
        name="oda_split_transaction",
    ),
    path(
        "<slug:slug>/<year:year>/purpose/<id:pk>/",
        views.set_project_purpose,
        name="oda_project_purpose",
    ),
]
