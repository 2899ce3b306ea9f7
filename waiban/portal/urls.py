from django.urls import path

from waiban.portal import views

app_name = "portal"
urlpatterns = [
    path("progress/", views.progress, name="progress"),
]
