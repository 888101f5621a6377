"""`manage.py backup` / `manage.py restore` (core.backup): a round trip through an emptied,
migrated database and an empty storage gives back every table's rows and every file's bytes, on
whichever database the suite runs (SQLite by default, PostgreSQL with DATABASE_URL); a target
that is not empty and a damaged archive are refused with exit status 2 and nothing written."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import Role
from assessments.models import Assessment
from core import backup
from core.models import AuditEvent
from evidence import services as evidence_services
from frameworks import engine
from frameworks.models import Criterion
from frameworks.services import framework_load
from schools.models import School

pytestmark = pytest.mark.django_db(transaction=True)

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture
def media(settings, tmp_path) -> Path:
    """A storage of our own (the restore target is switched to another, empty one)."""
    settings.MEDIA_ROOT = tmp_path / "media-source"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    return settings.MEDIA_ROOT


def switch_media(settings, path: Path) -> None:
    settings.MEDIA_ROOT = path


@pytest.fixture
def installation(media, school, make_user, principal, outsider):
    """A small but complete installation: schools with history, users with memberships, a
    group with permissions (many-to-many tables), audit events, an evidence item with its file
    and a loose file in the storage."""
    framework, _ = framework_load(data=engine.read_data(engine.DATA_DIR / "TT17-2018.json"))
    assessment = Assessment.objects.create(
        school=school,
        school_year="2025-2026",
        framework=framework,
        framework_version=framework.versions.values_list("code", flat=True).first()
        or framework.code,
        started_on=dt.date(2025, 9, 15),
    )
    evidence_services.evidence_create(
        user=principal,
        assessment=assessment,
        data={
            "first_criterion": Criterion.objects.filter(framework=framework, code="1.1").get(),
            "name": "Quyết định thành lập Hội đồng tự đánh giá",
        },
        file=ContentFile(PDF, name="Quyết định.pdf"),
    )
    school.name = "Trường PTDTBT Tiểu học Huổi Luông"
    school.save()  # a second history row
    group = Group.objects.create(name="Cán bộ Sở")
    group.permissions.set(Permission.objects.all()[:3])
    principal.groups.add(group)
    AuditEvent.objects.create(kind=AuditEvent.Kind.LOGIN, user=principal, username="ht")
    default_storage.save("reports/bao-cao-6-thang.pdf", ContentFile(PDF + b"%extra"))
    return assessment


def storage_hashes() -> dict[str, str]:
    return {
        name: hashlib.sha256(default_storage.open(name).read()).hexdigest()
        for name in backup.storage_files(default_storage)
    }


def empty_the_database() -> None:
    """What an operator has before a restore: a new database after `manage.py migrate`
    (flush empties every table and re-runs post_migrate: content types and permissions)."""
    call_command("flush", interactive=False, verbosity=0)


def restore_refused(path: Path) -> str:
    with pytest.raises(CommandError) as info:
        call_command("restore", str(path))
    assert info.value.returncode == 2
    return str(info.value)


def test_round_trip_gives_back_every_table_and_every_file(installation, settings, tmp_path):
    counts = backup.table_counts()
    files = storage_hashes()
    assert counts[School._meta.db_table] == 1 and counts[School.history.model._meta.db_table] >= 2
    assert len(files) == 2
    archive = tmp_path / "backup.tar.gz"

    call_command("backup", output=str(archive), verbosity=0)

    manifest = backup.archive_verify(archive)
    assert {t: e["rows"] for t, e in manifest["tables"].items()} == counts
    assert {n: e["sha256"] for n, e in manifest["files"].items()} == files
    empty_the_database()
    switch_media(settings, tmp_path / "media-restored")
    assert backup.table_counts()[School._meta.db_table] == 0

    out = io.StringIO()
    call_command("restore", str(archive), stdout=out)

    assert "Đã khôi phục" in out.getvalue()
    assert backup.table_counts() == counts
    assert storage_hashes() == files
    restored = Assessment.objects.get(pk=installation.pk)
    assert restored.evidence_items.get().file.read() == PDF
    principal = School.objects.get(code="LC-TH-HUOILUONG").memberships.get().user
    assert principal.groups.get().permissions.count() == 3
    assert principal.memberships.get().role == Role.PRINCIPAL


def test_rows_created_after_a_restore_take_new_ids(installation, settings, tmp_path, province):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=str(archive), verbosity=0)
    top = {
        "school": School.objects.order_by("-pk").first().pk,
        "history": School.history.order_by("-history_id").first().history_id,
        "event": AuditEvent.objects.order_by("-pk").first().pk,
    }
    empty_the_database()
    switch_media(settings, tmp_path / "media-restored")
    call_command("restore", str(archive), verbosity=0)

    commune = province.__class__.objects.get(uid="W03549")
    new = School.objects.create(
        code="LC-MN-MOI", name="Trường Mầm non Mới", kind="MN", unit=commune
    )
    event = AuditEvent.objects.create(kind=AuditEvent.Kind.LOGOUT, username="ht")

    assert new.pk > top["school"]
    assert new.history.get().history_id > top["history"]
    assert event.pk > top["event"]


def test_it_refuses_a_database_that_is_not_empty(installation, settings, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=str(archive), verbosity=0)
    counts = backup.table_counts()
    switch_media(settings, tmp_path / "media-restored")

    message = restore_refused(archive)

    assert "Cơ sở dữ liệu đích không trống" in message
    assert backup.table_counts() == counts
    assert storage_hashes() == {}


def test_it_refuses_a_storage_that_is_not_empty(installation, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=str(archive), verbosity=0)
    empty_the_database()  # the files of the installation are still in the storage
    counts = backup.table_counts()

    message = restore_refused(archive)

    assert "Kho tệp đích không trống" in message
    assert backup.table_counts() == counts


def rewrite(archive: Path, target: Path, *, drop: str = "", change: str = "") -> None:
    """Copy an archive member by member, leaving one out or altering one's bytes (the manifest
    is kept as it was, as in a truncated copy or a flipped bit)."""
    with tarfile.open(archive, "r:gz") as source, tarfile.open(target, "w:gz") as out:
        for member in source:
            data = source.extractfile(member).read()
            if member.name == drop:
                continue
            if member.name == change:
                changed = data.replace(b"LC-TH", b"XX-TH", 1)
                assert changed != data
                data = changed
            info = tarfile.TarInfo(member.name)
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))


@pytest.fixture
def emptied(installation, settings, tmp_path) -> Path:
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=str(archive), verbosity=0)
    empty_the_database()
    switch_media(settings, tmp_path / "media-restored")
    return archive


def assert_nothing_written() -> None:
    assert backup.table_counts()[School._meta.db_table] == 0
    assert storage_hashes() == {}


def test_it_refuses_a_member_whose_hash_does_not_match(emptied, tmp_path):
    damaged = tmp_path / "damaged.tar.gz"
    rewrite(emptied, damaged, change="db/schools.school.jsonl")

    message = restore_refused(damaged)

    assert "db/schools.school.jsonl" in message and "SHA-256" in message
    assert_nothing_written()


def test_it_refuses_an_archive_with_a_missing_member(emptied, tmp_path):
    manifest = backup.archive_verify(emptied)
    file_member = "files/" + next(iter(manifest["files"]))
    damaged = tmp_path / "missing.tar.gz"
    rewrite(emptied, damaged, drop=file_member)

    message = restore_refused(damaged)

    assert "thiếu thành phần" in message and file_member in message
    assert_nothing_written()


def test_it_refuses_an_archive_without_manifest(emptied, tmp_path):
    damaged = tmp_path / "no-manifest.tar.gz"
    rewrite(emptied, damaged, drop="manifest.json")

    assert "thiếu bảng kê" in restore_refused(damaged)
    assert_nothing_written()


@pytest.mark.parametrize(
    "content",
    [b"", b"not an archive at all", b"\x1f\x8b\x08\x00garbage-after-a-gzip-magic"],
    ids=["empty", "text", "broken-gzip"],
)
def test_it_refuses_a_file_that_is_not_an_archive(emptied, tmp_path, content):
    bogus = tmp_path / "bogus.tar.gz"
    bogus.write_bytes(content)

    assert "không phải là bản sao lưu" in restore_refused(bogus)
    assert_nothing_written()


def test_a_truncated_archive_is_refused(emptied, tmp_path):
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(emptied.read_bytes()[:-200])

    assert "không phải là bản sao lưu" in restore_refused(truncated)
    assert_nothing_written()


def test_the_manifest_names_rows_and_hashes_of_every_table(installation, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    manifest = backup.backup_write(archive)
    with tarfile.open(archive, "r:gz") as opened:
        stored = json.loads(opened.extractfile("manifest.json").read())
    assert stored == manifest
    assert manifest["format"] == backup.FORMAT
    assert set(manifest["tables"]) == {m._meta.db_table for m in backup.dumped_models()}
    assert "auth_user_groups" in manifest["tables"]  # the many-to-many tables too
    assert all(len(entry["sha256"]) == 64 for entry in manifest["tables"].values())
    assert not (tmp_path / "backup.tar.gz.partial").exists()
