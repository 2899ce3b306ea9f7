from django.urls import path

from waiban.reports import cage_views, views

app_name = "reports"
urlpatterns = [
    path("", views.library, name="library"),
    path("case/<int:pk>/itinerary/", views.itinerary, name="itinerary"),
    path("case/<int:pk>/border-stamps/", views.border_dates, name="border_dates"),
    path("case/<int:pk>/report/", views.report_edit, name="edit"),
    path("case/<int:pk>/disclosure/<slug:kind>/", views.disclosure, name="disclosure"),
    path("cage/", cage_views.anomalies, name="anomalies"),
    path("cage/<int:pk>/<slug:action>/", cage_views.anomaly_action, name="anomaly_action"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/do/<slug:action>/", views.report_action, name="action"),
    path("<int:pk>/files/", views.attachment_upload, name="attach"),
    path("<int:pk>/files/<int:file_pk>/", views.attachment_download, name="file"),
]
