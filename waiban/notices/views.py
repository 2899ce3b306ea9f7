from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from waiban.notices.forms import PreferenceForm
from waiban.notices.models import Notice, NoticePreference
from waiban.notices.services import notice_preferences_save, notices_mark_read
from waiban.notices.sms import mask_phone


@login_required
def inbox(request):
    page = Paginator(Notice.objects.filter(recipient=request.user), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "notices/inbox.html", {"page": page})


@login_required
@require_POST
def mark_read(request):
    notices_mark_read(recipient=request.user)
    return redirect("notices:inbox")


@login_required
def preferences(request):
    preference = NoticePreference.objects.filter(user=request.user).first() or NoticePreference(
        user=request.user
    )
    form = PreferenceForm(
        request.POST or None, instance=preference, initial={"email": request.user.email}
    )
    if request.method == "POST" and form.is_valid():
        notice_preferences_save(
            user=request.user,
            preference=form.save(commit=False),
            email=form.cleaned_data["email"],
            new_mobile=form.cleaned_data["new_mobile"],
            forget_mobile=form.cleaned_data["forget_mobile"],
        )
        messages.success(request, _("Your notice settings are saved."))
        return redirect("notices:preferences")
    on_file = mask_phone(preference.mobile) if preference.has_mobile else ""
    return render(request, "notices/preferences.html", {"form": form, "mobile_on_file": on_file})
