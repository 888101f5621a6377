"""`load_assessment_demo`: two filled-in self-assessments of the demo, made once (running it
again changes nothing), whose documents are complete and consistent."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from assessments.documents import data as sa_data
from assessments.models import Assessment
from documents import registry
from documents.common import DocumentRequest
from frameworks.services import framework_load_dir
from schools.tests import test_demo as schools_demo

demo_units, demo, Sink = schools_demo.demo_units, schools_demo.demo, schools_demo._Sink


def test_it_refuses_without_frameworks(db):
    with pytest.raises(CommandError, match="load_frameworks"):
        call_command("load_assessment_demo", stdout=Sink())


def test_two_assessments_once_with_clean_documents(demo, django_user_model, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    framework_load_dir()
    call_command("load_assessment_demo", stdout=Sink())
    call_command("load_assessment_demo", stdout=Sink())
    rows = list(
        Assessment.objects.order_by("school_year").values_list(
            "school__code", "school_year", "framework__code", "framework_version"
        )
    )
    assert rows == [
        ("LC-PT-TH-HUOILUONG", "2025-2026", "TT17-2018", "TT22-2024"),
        ("LC-PT-THCS-DAOSAN", "2026-2027", "TT57-2026-PT", "2026"),
    ]
    principal = django_user_model.objects.get(username="ht_huoiluong")
    mine = Assessment.objects.get(school__code="LC-PT-TH-HUOILUONG")
    data = sa_data.load(mine)
    assert data.cited_codes.is_clean and not data.years.missing_years()
    report = registry.build_docx(
        DocumentRequest(user=principal, kind="sa-report", assessment_id=mine.pk)
    )
    assert report[:2] == b"PK"
