"""Framework.compiled() looks its cache up before touching `data`: pages read the framework row
with its data deferred (the whole circular as JSON), and must not read it back once compiled."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.tests.conftest import loaded  # noqa: F401
from frameworks.models import Framework


def test_a_compiled_framework_is_not_read_again(loaded):  # noqa: F811
    whole = Framework.objects.get(code="TT17-2018")
    expected = whole.compiled()
    light = Framework.objects.defer("data").get(code="TT17-2018")
    with CaptureQueriesContext(connection) as queries:
        assert light.compiled() is expected
    assert len(queries) == 0
