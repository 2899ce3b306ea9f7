from django.contrib import admin
from django.urls import include, path

from waiban.portal.views import home

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("waiban.accounts.urls")),
    path("people/", include("waiban.people.urls")),
    path("delegations/", include("waiban.visits.urls")),
    path("watchlists/", include("waiban.watchlists.urls")),
    path("rules/", include("waiban.rules.urls")),
    path("documents/", include("waiban.documents.urls")),
    path("plans/", include("waiban.plans.urls")),
    path("passports/", include("waiban.passports.urls")),
    path("notices/", include("waiban.notices.urls")),
    path("hall/", include("waiban.hall.urls")),
    path("", home, name="home"),
    path("", include("waiban.portal.urls")),
]
