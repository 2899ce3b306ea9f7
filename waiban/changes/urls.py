from django.urls import path

from waiban.changes import views

app_name = "changes"
urlpatterns = [
    path("", views.change_list, name="list"),
    path("case/<int:pk>/new/", views.change_new, name="new"),
    path("<int:pk>/do/<slug:action>/", views.change_action, name="action"),
]
