from django.urls import path

from waiban.plans import views

app_name = "plans"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("new/", views.plan_create, name="create"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/items/new/", views.item_edit, name="item_create"),
    path("<int:pk>/items/<int:item_pk>/", views.item_edit, name="item_edit"),
    path("<int:pk>/items/<int:item_pk>/delete/", views.item_delete, name="item_delete"),
    path("<int:pk>/do/<slug:action>/", views.plan_action, name="action"),
    path("link/<int:delegation_pk>/", views.link, name="link"),
]
