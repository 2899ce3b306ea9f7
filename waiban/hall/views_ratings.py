"""Rating pages: the clerk's rating of a case, the window visit's rating from the QR link, the
office's rectifications and the public monthly results."""

from django import forms
from django.contrib import messages
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from waiban.accounts.roles import Role
from waiban.core.errors import ServiceError
from waiban.core.views import client_error_fields, role_required
from waiban.hall import ratings
from waiban.hall.models import Booking, Rating, RatingLevel, Rectification
from waiban.hall.ratelimit import public_rate_limited
from waiban.visits.models import Delegation

LEVELS = [(str(value), label) for value, label in RatingLevel.choices]
SCORE = [("", "—"), *LEVELS]


class RatingForm(forms.Form):
    level = forms.ChoiceField(
        label=gettext_lazy("Overall"), choices=LEVELS, widget=forms.RadioSelect
    )
    guidance = forms.ChoiceField(
        label=gettext_lazy("Guides and explanations"), choices=SCORE, required=False
    )
    efficiency = forms.ChoiceField(label=gettext_lazy("Speed"), choices=SCORE, required=False)
    convenience = forms.ChoiceField(
        label=gettext_lazy("Convenience (trips, steps)"), choices=SCORE, required=False
    )
    attitude = forms.ChoiceField(label=gettext_lazy("Attitude"), choices=SCORE, required=False)
    comment = forms.CharField(
        label=gettext_lazy("Comment"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ratings.SCORES:
            self.fields[name].widget.attrs["class"] = "form-select"


@role_required(Role.UNIT_CLERK)
def rate_case(request, pk):
    case = Delegation.objects.filter(pk=pk, unit_id=request.user.unit_id).first()
    if case is None:
        raise Http404
    existing = Rating.objects.filter(delegation=case).select_related("rectification").first()
    form = RatingForm(request.POST or None)
    if request.method == "POST" and existing is None and form.is_valid():
        try:
            ratings.rating_for_case(actor=request.user, delegation=case, **form.cleaned_data)
        except ServiceError as error:
            client_error_fields(form, error)
        else:
            messages.success(request, _("Thank you: the rating is recorded."))
            return redirect("hall:rate_case", pk=case.pk)
    return render(request, "hall/rate.html", {"case": case, "form": form, "rating": existing})


@require_POST
@public_rate_limited("check-in", limit=30)
def rate_visit(request, token):
    booking = Booking.objects.filter(token=token[:64]).first()
    if booking is None:
        raise Http404
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            ratings.rating_for_visit(token=booking.token, **form.cleaned_data)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Thank you: the rating is recorded."))
    else:
        messages.error(request, _("Choose one of the five levels."))
    return redirect("hall:check_in", token=booking.token)


OFFICE_READERS = (Role.REVIEWER, Role.WINDOW_CLERK, Role.SUPERVISOR)


@role_required(*OFFICE_READERS)
def rectifications(request):
    rows = (
        Rectification.objects.filter(authority_id=request.user.authority_id)
        .select_related("rating")
        .order_by("status", "deadline")[:200]
    )
    return render(
        request, "hall/rectifications.html", {"rows": rows, "today": timezone.localdate()}
    )


class AnswerForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("What was done"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


@role_required(*OFFICE_READERS)
def rectification(request, pk):
    row = (
        Rectification.objects.filter(pk=pk, authority_id=request.user.authority_id)
        .select_related("rating__delegation", "rating__ticket__issued_at_window")
        .first()
    )
    if row is None:
        raise Http404
    may_act = request.user.role in ratings.OFFICE_HANDLERS and row.status != "closed"
    form = AnswerForm(request.POST or None, initial={"version": row.version})
    if request.method == "POST":
        if not may_act:
            raise Http404
        if form.is_valid():
            move = (
                ratings.rectification_answer
                if row.status == "open"
                else ratings.rectification_follow_up
            )
            keyword = "answer" if row.status == "open" else "follow_up"
            try:
                move(
                    actor=request.user,
                    rectification_id=row.pk,
                    expected_version=form.cleaned_data["version"],
                    **{keyword: form.cleaned_data["text"]},
                )
            except ServiceError as error:
                form.add_error("text" if error.field else None, error.message)
            else:
                messages.success(request, _("Saved."))
                return redirect("hall:rectification", pk=row.pk)
    return render(
        request,
        "hall/rectification.html",
        {"row": row, "form": form, "may_act": may_act, "events": row.events.all()},
    )


@public_rate_limited("guides")
def results(request):
    """The monthly results, published (counts only: no unit, no case, no comment)."""
    months = (
        Rating.objects.annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(
            total=Count("pk"),
            **{f"level_{v}": Count("pk", filter=Q(level=v)) for v in RatingLevel.values},
            bad=Count("pk", filter=Q(level__lte=2)),
            rectified=Count(
                "pk", filter=Q(level__lte=2, rectification__status__in=["answered", "closed"])
            ),
        )
        .order_by("-month")[:24]
    )
    rows = []
    for month in months:
        good = month["level_5"] + month["level_4"] + month["level_3"]
        rows.append(
            {
                **month,
                "levels": [month[f"level_{v}"] for v in (5, 4, 3, 2, 1)],
                "satisfaction": round(100 * good / month["total"], 1) if month["total"] else None,
            }
        )
    headers = [RatingLevel(v).label for v in (5, 4, 3, 2, 1)]
    return render(request, "hall/results.html", {"rows": rows, "headers": headers})
