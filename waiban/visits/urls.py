from django.urls import path

from waiban.visits import actions, staff_views, views

app_name = "visits"
urlpatterns = [
    path("", views.delegation_list, name="list"),
    path("new/", views.delegation_create, name="create"),
    path("mine/", views.my_trips, name="mine"),
    path("workbench/", staff_views.workbench, name="workbench"),
    path("<int:pk>/", views.delegation_detail, name="detail"),
    path("<int:pk>/edit/", views.delegation_edit, name="edit"),
    path("<int:pk>/receipt/", views.delegation_receipt, name="receipt"),
    path("<int:pk>/correction-notice/", views.correction_notice, name="correction_notice"),
    path("<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path("<int:pk>/do/<slug:action>/", actions.delegation_action, name="action"),
]
