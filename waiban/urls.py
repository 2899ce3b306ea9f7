from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("waiban.accounts.urls")),
    path("people/", include("waiban.people.urls")),
    path("delegations/", include("waiban.visits.urls")),
    path("", include("waiban.portal.urls")),
]
