"""One POST endpoint for every workflow button; it only maps the button to its service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from waiban.core.errors import PermissionDenied, ServiceError, StateConflict
from waiban.visits import workflow
from waiban.visits.case_page import case_context
from waiban.visits.forms import CorrectionFormSet, OpinionForm
from waiban.visits.selectors import delegation_get

DONE = {
    "commit": _("Commitment confirmed."),
    "submit": _("Submitted."),
    "resubmit": _("Resubmitted."),
    "withdraw": _("Withdrawn."),
    "accept": _("Accepted."),
    "return": _("Returned with the correction notice."),
    "review": _("Review passed; the case goes to approval."),
    "approve": _("Approved."),
    "refuse": _("Refused."),
    "cancel": _("The trip is cancelled and its documents are revoked."),
}


def _justifications(post) -> dict:
    """The clerk's justification per warning finding: fields ``justify-<finding key>``."""
    return {k[len("justify-") :]: v for k, v in post.items() if k.startswith("justify-")}


def _call(action, delegation, user, form, items_formset, post):
    data = form.cleaned_data
    common = {"delegation": delegation, "actor": user, "expected_version": data["version"]}
    opinion = data.get("opinion", "")
    if action == "commit":
        return workflow.delegation_commit(**common)
    if action == "submit":
        return workflow.delegation_submit(**common, justifications=_justifications(post))
    if action == "resubmit":
        return workflow.delegation_resubmit(
            **common, comment=opinion, justifications=_justifications(post)
        )
    if action == "withdraw":
        return workflow.delegation_withdraw(**common, comment=opinion)
    if action == "accept":
        return workflow.delegation_accept(**common, comment=opinion)
    if action == "return":
        items = [
            (f.cleaned_data.get("target", ""), f.cleaned_data.get("message", ""))
            for f in items_formset.forms
            if f.is_valid()
        ]
        return workflow.delegation_return(**common, items=items)
    if action == "review":
        return workflow.delegation_review(**common, opinion=opinion)
    if action == "approve":
        return workflow.delegation_approve(
            **common,
            opinion=opinion,
            external_document_number=data.get("external_document_number", ""),
        )
    if action == "refuse":
        return workflow.delegation_refuse(**common, opinion=opinion)
    if action == "cancel":
        return workflow.delegation_cancel(**common, reason=opinion)
    raise Http404


@login_required
@require_POST
def delegation_action(request, pk, action):
    delegation = delegation_get(user=request.user, pk=pk)
    if delegation is None or action not in DONE:
        raise Http404
    form = OpinionForm(request.POST)
    items = CorrectionFormSet(request.POST, prefix="items") if action == "return" else None
    errors: list[tuple[str | None, str]] = []
    status = 400
    if form.is_valid() and (items is None or items.is_valid()):
        try:
            result = _call(action, delegation, request.user, form, items, request.POST)
        except PermissionDenied as error:
            if error.code == "not_found":
                raise Http404 from error
            errors.append((None, error.message))
        except StateConflict as error:
            errors.append((None, error.message))
            status = 409
        except ServiceError as error:
            problems = error.params.get("problems") or []
            errors += [(None, problem["message"]) for problem in problems]
            if not problems:
                errors.append((error.field if error.field in form.fields else None, error.message))
        else:
            messages.success(request, DONE[action])
            if action in ("submit", "resubmit"):
                return redirect("visits:receipt", pk=result.pk)
            return redirect("visits:detail", pk=result.pk)
    # Re-render the case as it is now, keeping the user's typed text and saying why it failed.
    # The form carries the current version, so a second try acts on what the user now sees.
    delegation = delegation_get(user=request.user, pk=pk)
    if delegation is None:
        raise Http404
    data = request.POST.copy()
    data["version"] = delegation.version
    form = OpinionForm(data)
    form.is_valid()
    for field, message in errors:
        form.add_error(field, message)
    context = case_context(request, delegation, action_form=form, correction_formset=items)
    context["failed_action"] = action
    return render(request, "visits/detail.html", context, status=status)
