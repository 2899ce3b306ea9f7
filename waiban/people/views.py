"""The unit's traveller records: list, add, edit, bulk import.

ID numbers and phones are personal data: lists show them masked, an exact look-up by ID number
goes by POST (never in a URL), and nothing here logs them (DESIGN.md §5).
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_http_methods

from waiban.accounts.roles import OFFICE_ROLES, Role
from waiban.core.errors import PermissionDenied, ServiceError
from waiban.core.exports import EXPORT_ROW_CAP, table_workbook, xlsx_response
from waiban.core.forms import bootstrap
from waiban.core.views import client_error_fields, role_required
from waiban.people import selectors, services
from waiban.people.forms import IdLookupForm, ImportUploadForm, PersonEditForm
from waiban.people.importing import import_template, people_import
from waiban.people.pinyin import suggest_pinyin

PAGE_SIZE = 50
VIEWERS = (Role.UNIT_CLERK, Role.UNIT_HEAD, *OFFICE_ROLES)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _people_export(people):
    """The unit's people as the list shows them: ID and phone numbers masked."""
    content = table_workbook(
        title=_("People"),
        headers=[
            _("Name"),
            _("Pinyin"),
            _("Sex"),
            _("Post"),
            _("Rank"),
            _("Leadership team"),
            _("ID number"),
            _("Mobile phone"),
        ],
        rows=(
            [
                p.name_zh,
                p.pinyin_name,
                p.get_sex_display(),
                p.post,
                p.get_rank_display(),
                _("yes") if p.in_leadership_team else "",
                p.id_number_masked,
                p.phone_masked,
            ]
            for p in people[:EXPORT_ROW_CAP]
        ),
    )
    return xlsx_response(content, "people.xlsx")


@role_required(*VIEWERS)
@require_http_methods(["GET", "POST"])
def person_list(request):
    """GET ?q= searches names only; POST is the exact look-up by ID number."""
    query = (request.GET.get("q") or "").strip()
    lookup_form = IdLookupForm(request.POST or None)
    lookup_done = False
    if request.method == "POST":
        if lookup_form.is_valid():
            number = "".join(lookup_form.cleaned_data["id_number"].split()).upper()
            # the selector looks an ID number up by its blind index (15 digits are converted)
            people = selectors.person_list(user=request.user, query=number)
            if not (number[:17].isdigit() and len(number) in (15, 18)):
                people = people.none()  # never fall back to a name search on a number
            lookup_done = True
        else:
            people = selectors.person_list(user=request.user).none()
        query = ""
    else:
        if any(ch.isdigit() for ch in query):
            # Numbers would end up in URLs and server logs: use the ID-number box instead.
            messages.warning(
                request,
                _("Search by name here; to find someone by ID number use “Find by ID number”."),
            )
            query = ""
        people = selectors.person_list(user=request.user, query=query)
        if request.GET.get("format") == "xlsx":
            return _people_export(people)
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    if request.method == "POST" and lookup_done:
        lookup_form = IdLookupForm()  # do not echo the number back into the page
    return render(
        request,
        "people/person_list.html",
        {
            "page": page,
            "query": query,
            "lookup_form": lookup_form,
            "lookup_done": lookup_done,
            "can_edit": request.user.role == Role.UNIT_CLERK,
            "show_unit": request.user.role in OFFICE_ROLES,
        },
    )


def _save_person(request, *, person=None, popup=False):
    form = PersonEditForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        try:
            if person is None:
                saved = services.person_create(
                    actor=request.user, unit=request.user.unit, data=form.cleaned_data
                )
            else:
                saved = services.person_update(
                    actor=request.user,
                    person=person,
                    data=form.cleaned_data,
                    expected_version=request.POST.get("version") or None,
                )
        except PermissionDenied as exc:
            raise Http404 from exc
        except ServiceError as exc:
            client_error_fields(form, exc)
            bootstrap(form)  # mark the field the service named as invalid too
        else:
            if person is None:
                messages.success(request, _("%(name)s was added.") % {"name": saved.name_zh})
            else:
                messages.success(request, _("%(name)s was saved.") % {"name": saved.name_zh})
            if popup:  # the application form that opened the dialog adds the person itself
                return render(
                    request,
                    "people/person_added.html",
                    {"person": saved, "label": f"{saved.name_zh} · {saved.post}"},
                )
            for warning in form.id_warnings:
                messages.warning(request, warning)
            return redirect("people:list")
    return render(
        request, "people/person_form.html", {"form": form, "person": person, "popup": popup}
    )


@role_required(Role.UNIT_CLERK)
@require_http_methods(["GET", "POST"])
@xframe_options_sameorigin  # ?popup=1: inside the application form's dialog
def person_create(request):
    if not request.user.unit_id:
        raise Http404
    return _save_person(request, popup=request.GET.get("popup") == "1")


@role_required(Role.UNIT_CLERK)
@require_http_methods(["GET", "POST"])
def person_edit(request, pk: int):
    person = selectors.person_get(user=request.user, pk=pk)
    if person is None:
        raise Http404
    return _save_person(request, person=person)


@role_required(Role.UNIT_CLERK)
@require_GET
def pinyin(request):
    """{"surname": "SHAN", "given": "XUEMEI"} for ?name=单雪梅: a suggestion the clerk may edit."""
    name = (request.GET.get("name") or "").strip()[:50]
    surname, given = suggest_pinyin(name) if name else ("", "")
    return JsonResponse({"surname": surname, "given": given})


@role_required(Role.UNIT_CLERK)
@require_GET
def person_import_template(request):
    response = HttpResponse(import_template(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="people-import-template.xlsx"'
    return response


@role_required(Role.UNIT_CLERK)
@require_http_methods(["GET", "POST"])
def person_import(request):
    if not request.user.unit_id:
        raise Http404
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = people_import(
                actor=request.user, unit=request.user.unit, file=form.cleaned_data["file"]
            )
        except PermissionDenied as exc:
            raise Http404 from exc
        if report.file_error:
            form.add_error("file", report.file_error)
            bootstrap(form)
            report = None
    return render(request, "people/person_import.html", {"form": form, "report": report})
