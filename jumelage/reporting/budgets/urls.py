"""The "1 %" ceilings of the service budgets, under /reporting/budgets/ (names in
"reporting:")."""

from django.urls import path

from jumelage.reporting.budgets import views

urlpatterns = [
    path("<slug:slug>/", views.ceilings_current, name="budget_ceilings_current"),
    path("<slug:slug>/<year:year>/", views.ceilings_page, name="budget_ceilings"),
]
