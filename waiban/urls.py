from django.contrib import admin
from django.shortcuts import redirect
from django.urls import include, path, reverse

from waiban.core.audit_views import audit_chain_page
from waiban.portal.views import home


def admin_login(request):
    """One log-in for everyone, with its throttles (waiban.accounts.login); the admin site's
    own form would skip the per-address limit."""
    query = request.META.get("QUERY_STRING", "")
    return redirect(f"{reverse('login')}?{query}" if query else reverse("login"))


urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/audit-chain/", audit_chain_page, name="audit_chain"),
    path("admin/login/", admin_login),
    path("admin/", admin.site.urls),
    path("accounts/", include("waiban.accounts.urls")),
    path("people/", include("waiban.people.urls")),
    path("delegations/", include("waiban.visits.urls")),
    path("watchlists/", include("waiban.watchlists.urls")),
    path("rules/", include("waiban.rules.urls")),
    path("documents/", include("waiban.documents.urls")),
    path("plans/", include("waiban.plans.urls")),
    path("passports/", include("waiban.passports.urls")),
    path("changes/", include("waiban.changes.urls")),
    path("visas/", include("waiban.visas.urls")),
    path("notices/", include("waiban.notices.urls")),
    path("reports/", include("waiban.reports.urls")),
    path("hall/", include("waiban.hall.urls")),
    path("", home, name="home"),
    path("", include("waiban.portal.urls")),
]
