"""The spreadsheet pages of the back office, under /reporting/spreadsheets/ (names in
"reporting:")."""

from django.urls import path

from jumelage.reporting.spreadsheets import views

urlpatterns = [
    path("", views.index, name="spreadsheets"),
    path("export/", views.export_start, name="spreadsheet_export"),
    path("import/", views.import_check, name="spreadsheet_import"),
    path("iati-import/", views.iati_import_start, name="spreadsheet_iati_import"),
    path(
        "templates/<slug:kind>.<str:file_format>",
        views.template_download,
        name="spreadsheet_template",
    ),
    path("jobs/<id:pk>/", views.job_detail, name="spreadsheet_job"),
    path("jobs/<id:pk>/progress/", views.job_progress, name="spreadsheet_job_progress"),
    path("jobs/<id:pk>/import/", views.import_confirm, name="spreadsheet_job_import"),
    path("jobs/<id:pk>/download/", views.job_download, name="spreadsheet_job_download"),
]
