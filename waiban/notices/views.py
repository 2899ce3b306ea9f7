from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from waiban.notices.models import Notice
from waiban.notices.services import notices_mark_read


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
