"""Evidence files through a real S3 API: moto in server mode on 127.0.0.1 stands in for the
production bucket (MinIO, Viettel/VNPT object storage, AWS), reached by django-storages over
HTTP exactly as in production (`S3_BUCKET`, `S3_ENDPOINT_URL`… in truongchuan/settings.py).
Upload checked by content, download in scope, 404 out of scope, download logged."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage, storages
from django.urls import reverse
from moto.server import ThreadedMotoServer
from storages.backends.s3 import S3Storage

from core import backup
from core.models import AuditEvent
from evidence.models import Evidence

from .conftest import EXE_BYTES, MINIMAL_PDF, criterion, upload

ACCESS_KEY = "testing"
SECRET_KEY = "testing"  # noqa: S105 - moto accepts any key; nothing real is stored


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint, media_root, settings) -> str:
    """A fresh private bucket per test, and the default storage pointed at it the way
    settings.py does when S3_BUCKET is set (after the evidence conftest's file storage)."""
    name = f"truongchuan-{uuid.uuid4().hex[:12]}"
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=name)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": name,
                "endpoint_url": s3_endpoint,
                "access_key": ACCESS_KEY,
                "secret_key": SECRET_KEY,
                "region_name": "us-east-1",
                "default_acl": "private",
                "querystring_auth": True,
            },
        },
    }
    return name


def bucket_objects(s3_endpoint: str, name: str) -> dict[str, bytes]:
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        region_name="us-east-1",
    )
    listing = client.list_objects_v2(Bucket=name).get("Contents", [])
    return {
        obj["Key"]: client.get_object(Bucket=name, Key=obj["Key"])["Body"].read() for obj in listing
    }


def post_evidence(client, assessment, content: bytes, name: str = "bien-ban.pdf"):
    return client.post(
        reverse("evidence:create", kwargs={"assessment_id": assessment.pk}),
        {
            "first_criterion": criterion(assessment.framework, "1.1").pk,
            "name": "Biên bản họp Hội đồng tự đánh giá",
            "file": upload(name, content),
        },
    )


def test_the_storage_under_test_is_s3(bucket):
    assert isinstance(storages["default"], S3Storage)
    assert default_storage.bucket_name == bucket


def test_an_upload_lands_in_the_bucket_under_its_random_key(
    client, principal, assessment, bucket, s3_endpoint
):
    client.force_login(principal)
    response = post_evidence(client, assessment, MINIMAL_PDF)
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    stored = bucket_objects(s3_endpoint, bucket)
    assert stored == {evidence.file.name: MINIMAL_PDF}
    assert "bien-ban" not in evidence.file.name  # the key is random, not the user's name


def test_a_file_refused_by_content_never_reaches_the_bucket(
    client, principal, assessment, bucket, s3_endpoint
):
    client.force_login(principal)
    response = post_evidence(client, assessment, EXE_BYTES, name="quyet-dinh.pdf")
    assert response.status_code == 400
    assert not Evidence.objects.exists()
    assert bucket_objects(s3_endpoint, bucket) == {}


def test_download_in_scope_streams_the_object_and_is_logged(
    client, principal, commune_officer, assessment, bucket
):
    client.force_login(principal)
    post_evidence(client, assessment, MINIMAL_PDF)
    evidence = Evidence.objects.get()
    client.force_login(commune_officer)  # the managing commune reads the register too
    response = client.get(reverse("evidence:download", kwargs={"pk": evidence.pk}))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == MINIMAL_PDF
    assert response["Content-Disposition"].startswith("attachment;")
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.DOWNLOAD)
    assert event.user == commune_officer
    assert event.object_id == str(evidence.pk)


def test_download_out_of_scope_is_404_and_not_logged(
    client, principal, outsider, assessment, bucket
):
    client.force_login(principal)
    post_evidence(client, assessment, MINIMAL_PDF)
    evidence = Evidence.objects.get()
    client.force_login(outsider)
    response = client.get(reverse("evidence:download", kwargs={"pk": evidence.pk}))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.DOWNLOAD).exists()


def test_a_deleted_evidence_leaves_the_bucket_after_commit(
    client, principal, assessment, bucket, s3_endpoint, django_capture_on_commit_callbacks
):
    client.force_login(principal)
    post_evidence(client, assessment, MINIMAL_PDF)
    evidence = Evidence.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("evidence:delete", kwargs={"pk": evidence.pk}))
    assert response.status_code == 302
    assert bucket_objects(s3_endpoint, bucket) == {}


def test_a_backup_takes_the_files_from_the_bucket(
    client, principal, assessment, bucket, s3_endpoint, tmp_path
):
    client.force_login(principal)
    post_evidence(client, assessment, MINIMAL_PDF)
    evidence = Evidence.objects.get()

    manifest = backup.backup_write(tmp_path / "backup.tar.gz")

    assert manifest["files"] == {
        evidence.file.name: {
            "size": len(MINIMAL_PDF),
            "sha256": hashlib.sha256(MINIMAL_PDF).hexdigest(),
        }
    }


def test_a_restore_puts_the_files_into_an_empty_bucket(db, bucket, s3_endpoint, tmp_path):
    """An empty installation whose storage holds one file, backed up from a folder and
    restored into the (empty) bucket by `restore_read` itself."""
    source = FileSystemStorage(location=tmp_path / "source")
    source.save("evidence/ab/cd/quyet-dinh.pdf", ContentFile(MINIMAL_PDF))
    archive = tmp_path / "backup.tar.gz"
    backup.backup_write(archive, storage=source)

    manifest = backup.restore_read(archive)

    assert bucket_objects(s3_endpoint, bucket) == {"evidence/ab/cd/quyet-dinh.pdf": MINIMAL_PDF}
    assert list(manifest["files"]) == ["evidence/ab/cd/quyet-dinh.pdf"]
    # A second restore meets a storage that is no longer empty and writes nothing.
    with pytest.raises(backup.BackupError, match="Kho tệp đích không trống"):
        backup.restore_read(archive)
