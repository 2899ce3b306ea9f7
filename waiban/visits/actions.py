"""One POST endpoint for every workflow button: the transitions table says which service it
calls, which text it passes, and what to say once it is done."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from waiban.core.errors import PermissionDenied, ServiceError, StateConflict
from waiban.visits.case_page import case_context
from waiban.visits.forms import CorrectionFormSet, OpinionForm
from waiban.visits.selectors import delegation_get
from waiban.visits.states import TRANSITIONS


def _justifications(post) -> dict:
    """The clerk's justification per warning finding: fields ``justify-<finding key>``."""
    return {k[len("justify-") :]: v for k, v in post.items() if k.startswith("justify-")}


def _arguments(transition, form, items_formset, post) -> dict:
    """The service's keyword arguments beyond the case, the actor and the version."""
    data = form.cleaned_data
    kwargs = {}
    if transition.text:
        kwargs[transition.text] = data.get("opinion", "")
    if transition.extra.get("justifications"):
        kwargs["justifications"] = _justifications(post)
    if transition.extra.get("explanations"):
        # Why an item of the correction notice needs no change: fields ``explain-<item id>``.
        kwargs["explanations"] = {
            k[len("explain-") :]: v for k, v in post.items() if k.startswith("explain-")
        }
    if transition.extra.get("external_document_number"):
        kwargs["external_document_number"] = data.get("external_document_number", "")
    if items_formset is not None:
        kwargs["items"] = [
            (f.cleaned_data.get("target", ""), f.cleaned_data.get("message", ""))
            for f in items_formset.forms
            if f.is_valid()
        ]
    return kwargs


@login_required
@require_POST
def delegation_action(request, pk, action):
    delegation = delegation_get(user=request.user, pk=pk)
    transition = TRANSITIONS.get(action)
    if delegation is None or transition is None:
        raise Http404
    service = transition.service_function
    form = OpinionForm(request.POST)
    items = CorrectionFormSet(request.POST, prefix="items") if action == "send_back" else None
    errors: list[tuple[str | None, str]] = []
    status = 400
    if form.is_valid() and (items is None or items.is_valid()):
        try:
            result = service(
                delegation=delegation,
                actor=request.user,
                expected_version=form.cleaned_data["version"],
                **_arguments(transition, form, items, request.POST),
            )
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
            messages.success(request, transition.done)
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
