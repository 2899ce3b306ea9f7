from django.urls import path

from waiban.passports import views

app_name = "passports"
urlpatterns = [
    path("", views.custody, name="custody"),
    path("register/", views.register, name="register"),
    path("return-scan/", views.return_scan, name="return_scan"),
    path("<int:pk>/", views.detail, name="detail"),
    path("delegation/<int:pk>/", views.delegation_stage, name="delegation"),
    path("requests/<int:pk>/photo/", views.request_photo, name="photo"),
]
