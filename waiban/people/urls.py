from django.urls import path

from waiban.people import views

app_name = "people"

urlpatterns = [
    path("", views.person_list, name="list"),
    path("new/", views.person_create, name="create"),
    path("<int:pk>/edit/", views.person_edit, name="edit"),
    path("pinyin/", views.pinyin, name="pinyin"),
    path("import/", views.person_import, name="import"),
    path("import/template.xlsx", views.person_import_template, name="import_template"),
]
