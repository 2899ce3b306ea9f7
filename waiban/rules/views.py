"""The live findings endpoint: the form posts what is typed, the rules answer in JSON."""

from django.http import Http404, JsonResponse
from django.views.decorators.http import require_POST

from waiban.accounts.roles import Role
from waiban.core.parsing import parse_id
from waiban.core.views import role_required
from waiban.rules.models import Severity
from waiban.rules.selectors import live_findings
from waiban.rules.services import judged_by_versions_of
from waiban.visits.selectors import delegation_get


@role_required(Role.UNIT_CLERK)
@require_POST
def live(request):
    delegation_id = versions_on = None
    if request.POST.get("delegation"):
        pk = parse_id(request.POST["delegation"])
        if pk is None:
            raise Http404
        delegation = delegation_get(user=request.user, pk=pk)
        if delegation is None:
            raise Http404
        delegation_id = delegation.pk
        versions_on = judged_by_versions_of(delegation)
    findings = live_findings(
        post=request.POST,
        unit=request.user.unit,
        authority_id=request.user.unit.authority_id,
        delegation_id=delegation_id,
        versions_on=versions_on,
    )
    return JsonResponse(
        {
            "findings": [f.as_json() for f in findings],
            "blocks": sum(f.severity == Severity.BLOCK for f in findings),
        }
    )
