"""Office pages: the control lists and their imports (reviewers, supervisors), screening hits
and decisions (reviewers, approvers; supervisors read). Everyone else gets a 404."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from waiban.core.errors import PermissionDenied, ServiceError
from waiban.core.exports import EXPORT_ROW_CAP, table_workbook, xlsx_response
from waiban.core.forms import bootstrap
from waiban.core.views import client_error_fields, role_required
from waiban.watchlists import selectors
from waiban.watchlists.forms import HitDecisionForm, ListImportForm
from waiban.watchlists.importing import control_list_import, import_template
from waiban.watchlists.models import ListEntry, ScreeningHit
from waiban.watchlists.services import can_decide, screening_hit_decide

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@role_required(*selectors.LIST_ROLES)
@require_GET
def list_index(request):
    lists = selectors.lists_for(request.user)
    return render(request, "watchlists/lists.html", {"lists": lists})


@role_required(*selectors.LIST_ROLES)
@require_GET
def list_detail(request, pk: int):
    control_list = selectors.list_get(user=request.user, pk=pk)
    if control_list is None:
        raise Http404
    show = request.GET.get("show", "active")
    entries = ListEntry.objects.filter(control_list=control_list).select_related(
        "added_in", "removed_in"
    )
    if show != "all":
        entries = entries.filter(is_active=True)
    q = (request.GET.get("q") or "").strip()[:50]
    if q:
        entries = entries.filter(name__icontains=q)
    page = Paginator(entries.order_by("name", "id"), 50).get_page(request.GET.get("page"))
    imports = control_list.imports.select_related("imported_by")
    query = urlencode({k: v for k, v in (("show", show), ("q", q)) if v})
    return render(
        request,
        "watchlists/list_detail.html",
        {
            "control_list": control_list,
            "page": page,
            "imports": imports,
            "show": show,
            "q": q,
            "query": query,
        },
    )


@role_required(*selectors.LIST_ROLES)
@require_GET
def import_template_download(request):
    response = HttpResponse(import_template(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="control-list-template.xlsx"'
    return response


@role_required(*selectors.LIST_ROLES)
@require_http_methods(["GET", "POST"])
def list_import(request):
    own = [
        cl
        for cl in selectors.lists_for(request.user)
        if cl.authority_id == request.user.authority_id
    ]
    initial = {"control_list": request.GET.get("list") or "new"}
    form = ListImportForm(request.POST or None, request.FILES or None, lists=own, initial=initial)
    report = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = form.lists.get(data["control_list"])
        try:
            report = control_list_import(
                actor=request.user,
                file=data["file"],
                control_list=chosen,
                kind=data["kind"],
                name=data["name"],
                default_source=data["default_source"],
            )
        except PermissionDenied as exc:
            raise Http404 from exc
        except ServiceError as exc:
            client_error_fields(form, exc)
            bootstrap(form)
        else:
            if report.file_error:
                form.add_error("file", report.file_error)
                bootstrap(form)
                report = None
    return render(request, "watchlists/import.html", {"form": form, "report": report})


def _hits_export(hits):
    hits = hits.select_related("delegation__unit", "person", "entry__control_list", "decided_by")
    content = table_workbook(
        title=_("Control-list hits"),
        headers=[
            _("found at"),
            _("Case number"),
            _("Unit"),
            _("Member"),
            _("List"),
            _("match"),
            _("severity"),
            _("status"),
            _("decided by"),
            _("reason"),
        ],
        rows=(
            [
                timezone.localtime(h.created_at).strftime("%Y-%m-%d %H:%M"),
                h.delegation.case_number or "",
                h.delegation.unit.name,
                h.person.name_zh,
                h.entry.control_list.name,
                h.get_kind_display(),
                h.get_severity_display(),
                h.get_status_display(),
                str(h.decided_by or ""),
                h.reason,
            ]
            for h in hits[:EXPORT_ROW_CAP]
        ),
    )
    return xlsx_response(content, "control-list-hits.xlsx")


@role_required(*selectors.HIT_ROLES)
@require_GET
def hit_index(request):
    status = request.GET.get("status", ScreeningHit.Status.OPEN)
    hits = selectors.hits_for(request.user)
    if status in ScreeningHit.Status.values:
        hits = hits.filter(status=status)
    if request.GET.get("format") == "xlsx":
        return _hits_export(hits.order_by("-created_at", "-id"))
    page = Paginator(hits.order_by("-created_at", "-id"), 50).get_page(request.GET.get("page"))
    for hit in page:  # decided here too: a refused draft's case page is the unit's alone
        hit.decidable = hit.status == ScreeningHit.Status.OPEN and can_decide(request.user, hit)
    return render(
        request,
        "watchlists/hits.html",
        {
            "page": page,
            "status": status,
            "statuses": ScreeningHit.Status.choices,
            "open_count": selectors.open_hit_count(request.user),
            "query": f"status={status}",
        },
    )


@role_required(*selectors.HIT_ROLES)
@require_POST
def hit_decide(request, pk: int):
    hit = selectors.hits_for(request.user).filter(pk=pk).first()
    if hit is None or not can_decide(request.user, hit):
        raise Http404
    form = HitDecisionForm(request.POST)
    target = form.data.get("next") or ""
    # Back to the page the decision was made on: a path of this site, never a view name
    # (redirect() would try to reverse "abc") nor another site.
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        target = ""
    if form.is_valid():
        try:
            screening_hit_decide(
                hit=hit,
                actor=request.user,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
            )
        except PermissionDenied as exc:
            raise Http404 from exc
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The decision is recorded."))
    else:
        messages.error(request, _("Choose a decision and give the reason."))
    return redirect(target or "watchlists:hits")
