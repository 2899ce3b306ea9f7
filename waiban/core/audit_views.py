"""The audit administrator's check of the audit chain, on a page."""

from django.shortcuts import render

from waiban.accounts.roles import Role
from waiban.core.audit_chain import audit_chain_verify
from waiban.core.views import role_required


@role_required(Role.AUDIT_ADMIN)
def audit_chain_page(request):
    """Runs the check on request (POST): it reads the whole trail."""
    report = audit_chain_verify() if request.method == "POST" else None
    broken = None
    if report is not None and report.broken_id is not None:
        from waiban.core.models import AuditEvent

        broken = AuditEvent.objects.filter(pk=report.broken_id).first()
    return render(request, "core/audit_chain.html", {"report": report, "broken": broken})
