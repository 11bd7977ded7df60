from django.urls import path

from jumelage.content import views

app_name = "content"

urlpatterns = [
    path("<id:pk>/<str:filename>", views.document_file, name="document_file"),
]
