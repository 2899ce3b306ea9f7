from django.urls import path

from waiban.watchlists import views

app_name = "watchlists"
urlpatterns = [
    path("", views.list_index, name="lists"),
    path("<int:pk>/", views.list_detail, name="list_detail"),
    path("import/", views.list_import, name="import"),
    path("import/template.xlsx", views.import_template_download, name="import_template"),
    path("hits/", views.hit_index, name="hits"),
    path("hits/<int:pk>/decide/", views.hit_decide, name="hit_decide"),
]
