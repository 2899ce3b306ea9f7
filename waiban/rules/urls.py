from django.urls import path

from waiban.rules import views

app_name = "rules"
urlpatterns = [path("live/", views.live, name="live")]
