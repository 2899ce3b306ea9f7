from django.urls import path

from waiban.visas import views

app_name = "visas"
urlpatterns = [
    path("", views.workbench, name="workbench"),
    path("case/<int:pk>/", views.case_stage, name="case"),
    path("batch/<int:pk>/", views.batch_detail, name="batch"),
]
