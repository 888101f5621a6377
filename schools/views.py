from django.http import Http404


def school_list(request):
    raise Http404


def school_detail(request, code):
    raise Http404
