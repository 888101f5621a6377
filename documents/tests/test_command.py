import io

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from documents.tests.helpers import all_text, open_docx


def run(*args):
    out = io.StringIO()
    call_command("export_document", *args, stdout=out)
    return out.getvalue()


def test_exports_statistics_docx_and_xlsx(tmp_path, commune, nine_schools):
    target = tmp_path / "tk.docx"
    out = run("statistics", "--unit", commune.uid, "--on", "2024-06-30", "--output", str(target))
    assert "Đã ghi" in out
    assert "55,56%" in all_text(open_docx(target.read_bytes()))
    xlsx = tmp_path / "tk.xlsx"
    run("statistics", "--unit", commune.uid, "--format", "xlsx", "--output", str(xlsx))
    assert "Theo cấp học" in openpyxl.load_workbook(xlsx).sheetnames


def test_exports_report_and_plan(tmp_path, province, seed000):
    target = tmp_path / "bc.docx"
    run(
        "report",
        "--unit",
        province.uid,
        "--plan",
        str(seed000.pk),
        "--year",
        "2021",
        "--period",
        "H1",
        "--output",
        str(target),
    )
    assert "14.765" in all_text(open_docx(target.read_bytes()))
    plan = tmp_path / "kh.docx"
    run("plan", "--plan", str(seed000.pk), "--output", str(plan))
    assert "KẾ HOẠCH" in all_text(open_docx(plan.read_bytes()))


@pytest.mark.parametrize(
    "args",
    [
        ["bao-cao-la", "--unit", "P12"],
        ["statistics", "--unit", "KHONGCO"],
        ["statistics"],
        ["report", "--unit", "P12"],
        ["plan", "--plan", "999999"],
        ["statistics", "--unit", "P12", "--user", "khong-co-ai"],
    ],
)
def test_clear_errors_exit_2(tmp_path, province, args):
    with pytest.raises(CommandError) as exc:
        run(*args, "--output", str(tmp_path / "x.docx"))
    assert exc.value.returncode == 2
    assert not (tmp_path / "x.docx").exists()


def test_user_option_scopes_the_export(tmp_path, outsider, commune, nine_schools):
    with pytest.raises(CommandError) as exc:
        run(
            "statistics",
            "--unit",
            commune.uid,
            "--user",
            outsider.username,
            "--output",
            str(tmp_path / "x.docx"),
        )
    assert exc.value.returncode == 2 and "phạm vi" in str(exc.value)
