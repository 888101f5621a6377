from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.page_cache import kept_page
from dashboard.home import home_summary
from dashboard.todo import home_todo


@login_required
@require_GET
@kept_page
def home(request):
    context = home_summary(user=request.user)
    context["todo"] = home_todo(user=request.user, today=timezone.localdate())
    return render(request, "home.html", context)
