from django.http import Http404
from django.urls import path


def _todo(request):
    raise Http404


app_name = "frameworks"
urlpatterns = [path("", _todo, name="list")]
