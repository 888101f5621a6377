from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from dashboard.home import home_summary


@login_required
@require_GET
def home(request):
    return render(request, "home.html", home_summary(user=request.user))
