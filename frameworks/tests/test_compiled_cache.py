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


def test_deferred_data_is_read_once_per_version(loaded):  # noqa: F811
    Framework.objects.defer("data").get(code="TT17-2018").data  # noqa: B018 (reads it once)
    light = Framework.objects.defer("data").get(code="TT17-2018")
    with CaptureQueriesContext(connection) as queries:
        assert light.data == Framework.objects.get(code="TT17-2018").data
    assert len(queries) == 1  # the whole row for the comparison, not the deferred one


def test_a_changed_framework_is_never_served_from_the_cache(loaded):  # noqa: F811
    from frameworks.services import framework_load

    before = Framework.objects.defer("data").get(code="TT17-2018").data
    changed = {**before, "title": before["title"] + " (sửa đổi)"}
    framework_load(data=changed)
    light = Framework.objects.defer("data").get(code="TT17-2018")
    assert light.data["title"] == changed["title"]
    assert Framework.objects.defer("data").get(code="TT17-2018").data["title"] == changed["title"]
