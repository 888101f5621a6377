"""Excel import (template, preview, confirm) and export of the school registry.
(Placeholder until the import work lands.)"""

from django.http import Http404


def _todo(request, *args, **kwargs):
    raise Http404


school_export = import_upload = import_template = import_confirm = _todo
