"""One-archive backup and restore of the whole installation: every table and every uploaded file.

Why Django's serializer (one JSON Lines member per table, raw primary keys) and not pg_dump:
- the same archive restores on SQLite and on PostgreSQL (a Sở can move a laptop demo or a test
  server to its production database, or restore a production backup on a laptop to look at it);
- it needs no `pg_dump` binary whose major version must match the server's, and no second tool
  for SQLite;
- raw primary keys keep every reference as it was (foreign keys, simple-history's `history_id`
  and its unconstrained links, generic `object_id`s in the audit trail), and the content types
  and permissions are carried over with their ids instead of being re-matched.
JSON Lines is read one row at a time, so a national database is restored without holding a table
in memory. The price is speed (a few minutes for the national data set), fine for a nightly job.

The archive (`.tar.gz`):
    manifest.json            format, date, database vendor, applied migrations,
                             per table: model, rows, sha256 of its member; per file: size, sha256
    db/<app>.<model>.jsonl   one serialized row per line, in primary-key order
    files/<storage name>     every file of the default storage (FileSystem or S3)

A restore verifies the whole archive (every member present, every hash and row count right, no
member that is not listed) before it writes anything, refuses a database or storage that is not
empty, and loads everything in one transaction; the files written so far are removed again if
anything fails, so a refused or failed restore leaves the target as it found it.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.files.base import File
from django.core.files.storage import Storage, default_storage
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from core.models import DataVersion

FORMAT = "truongchuan-backup/1"
MANIFEST = "manifest.json"
DB_DIR = "db"
FILES_DIR = "files"
CHUNK = 1024 * 1024
BATCH = 500
# Created by `migrate` itself (post_migrate, or a migration's data: the kept pages' counter):
# present in an "empty" database, replaced by the archive's rows so their ids match every
# reference to them.
CREATED_BY_MIGRATE = (Permission, ContentType, DataVersion)


class BackupError(Exception):
    """A refusal with a message for the operator (Vietnamese); nothing was written."""


@dataclass(frozen=True)
class TableDump:
    member: str
    model: str
    rows: int
    sha256: str


# ---- what is backed up -------------------------------------------------------------------


def dumped_models() -> list[type[models.Model]]:
    """Every table Django manages, including the automatic many-to-many tables (the rows of a
    user's groups, a group's permissions): proxies share their concrete model's table."""
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and not model._meta.swapped
    ]


def model_label(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


def table_counts(using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """Rows per table, the manifest's figure and what a restore is compared with."""
    return {
        model._meta.db_table: model._base_manager.using(using).count() for model in dumped_models()
    }


def applied_migrations(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    recorder = MigrationRecorder(connections[using])
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def storage_files(storage: Storage, path: str = "") -> Iterator[str]:
    """Every file name in a storage, depth first, in a stable order."""
    try:
        directories, files = storage.listdir(path)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{path}/{name}" if path else name
    for directory in sorted(directories):
        yield from storage_files(storage, f"{path}/{directory}" if path else directory)


class _HashingReader:
    """Reads through to a file while hashing what passes (tarfile reads exactly `size`)."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        return data


def _hash_stream(handle: IO[bytes]) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


# ---- backup ------------------------------------------------------------------------------


def _dump_table(model: type[models.Model], using: str, out: IO[bytes]) -> int:
    # Only local concrete fields: many-to-many links are their own tables (dumped_models), so
    # they are written once and loaded without per-row queries.
    fields = [f.name for f in model._meta.local_fields if f.serialize]
    rows = 0

    def counted() -> Iterator[models.Model]:
        nonlocal rows
        for obj in model._base_manager.using(using).order_by("pk").iterator(chunk_size=2000):
            rows += 1
            yield obj

    text = io.TextIOWrapper(out, encoding="utf-8", newline="\n", write_through=True)
    serializers.serialize("jsonl", counted(), stream=text, fields=fields)
    text.detach()
    return rows


def _add_member(archive: tarfile.TarFile, name: str, handle: IO[bytes], size: int) -> str:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = int(timezone.now().timestamp())
    info.mode = 0o600
    reader = _HashingReader(handle)
    archive.addfile(info, reader)
    return reader.digest.hexdigest()


def backup_write(
    output: Path, *, using: str = DEFAULT_DB_ALIAS, storage: Storage | None = None
) -> dict:
    """Write the archive to `output` (through a temporary name, so a failed backup leaves no
    half archive behind) and return its manifest."""
    storage = storage or default_storage
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    connection = connections[using]
    tables: dict[str, dict] = {}
    files: dict[str, dict] = {}
    snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
    try:
        # On SQLite the transaction (BEGIN IMMEDIATE, settings.py) holds writers back for the
        # backup's duration, which is what makes it consistent there.
        with tarfile.open(partial, "w:gz") as archive, transaction.atomic(using=using):
            if snapshot:
                # One snapshot for every table: a row written during the backup is either in
                # all the tables it touches or in none.
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            for model in dumped_models():
                member = f"{DB_DIR}/{model_label(model)}.jsonl"
                with tempfile.TemporaryFile() as spool:
                    rows = _dump_table(model, using, spool)
                    size = spool.tell()
                    spool.seek(0)
                    digest = _add_member(archive, member, spool, size)
                tables[model._meta.db_table] = {
                    "model": model_label(model),
                    "member": member,
                    "rows": rows,
                    "sha256": digest,
                }
            for name in storage_files(storage):
                size = storage.size(name)
                with storage.open(name, "rb") as handle:
                    digest = _add_member(archive, f"{FILES_DIR}/{name}", handle, size)
                files[name] = {"size": size, "sha256": digest}
            manifest = {
                "format": FORMAT,
                "created_at": timezone.now().isoformat(),
                "database": connection.vendor,
                "migrations": applied_migrations(using),
                "tables": tables,
                "files": files,
            }
            body = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
            _add_member(archive, MANIFEST, io.BytesIO(body), len(body))
        os.replace(partial, output)
    finally:
        partial.unlink(missing_ok=True)
    return manifest


# ---- restore -----------------------------------------------------------------------------


def _safe_member_name(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and name == str(path)


def archive_verify(path: Path) -> dict:
    """Read the whole archive once: its manifest, and every member against it. Returns the
    manifest; raises BackupError naming the first problem."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"Không tìm thấy tệp sao lưu: {path}")
    digests: dict[str, str] = {}
    manifest_bytes = None
    try:
        with tarfile.open(path, "r:gz") as archive:
            for member in archive:
                if not member.isfile() or not _safe_member_name(member.name):
                    raise BackupError(f"Tệp sao lưu chứa thành phần không hợp lệ: {member.name!r}.")
                handle = archive.extractfile(member)
                if member.name == MANIFEST:
                    manifest_bytes = handle.read()
                    continue
                digests[member.name] = _hash_stream(handle)[0]
    except (tarfile.TarError, EOFError, OSError, ValueError) as exc:
        raise BackupError(
            f"Tệp {path.name} không phải là bản sao lưu của Trường Chuẩn hoặc đã bị hỏng "
            f"(không đọc được tệp nén: {exc})."
        ) from exc
    if manifest_bytes is None:
        raise BackupError(f"Tệp sao lưu {path.name} thiếu bảng kê (manifest.json).")
    try:
        manifest = json.loads(manifest_bytes)
        assert manifest.get("format") == FORMAT
        tables, files = manifest["tables"], manifest["files"]
    except (ValueError, KeyError, TypeError, AssertionError) as exc:
        raise BackupError(
            f"Bảng kê của tệp sao lưu {path.name} không đọc được hoặc không đúng định dạng "
            f"{FORMAT}."
        ) from exc
    expected = {entry["member"]: entry["sha256"] for entry in tables.values()}
    expected.update({f"{FILES_DIR}/{name}": entry["sha256"] for name, entry in files.items()})
    for member, digest in sorted(expected.items()):
        if member not in digests:
            raise BackupError(f"Tệp sao lưu bị thiếu thành phần {member} (có trong bảng kê).")
        if digests[member] != digest:
            raise BackupError(
                f"Thành phần {member} của tệp sao lưu bị hỏng: mã băm SHA-256 không khớp với "
                "bảng kê."
            )
    extra = sorted(set(digests) - set(expected))
    if extra:
        raise BackupError(f"Tệp sao lưu chứa thành phần không có trong bảng kê: {extra[0]}.")
    return manifest


def target_check(manifest: dict, *, using: str, storage: Storage) -> None:
    """The target must run the same migrations and hold nothing yet (besides what `migrate`
    creates), or the restore would mix two installations."""
    current = applied_migrations(using)
    if current != manifest["migrations"]:
        missing = sorted(set(manifest["migrations"]) - set(current))
        extra = sorted(set(current) - set(manifest["migrations"]))
        detail = (
            f"thiếu {', '.join(missing[:3])}"
            if missing
            else f"thừa {', '.join(extra[:3])}"
            if extra
            else ""
        )
        raise BackupError(
            "Cơ sở dữ liệu đích không cùng phiên bản cấu trúc với bản sao lưu "
            f"({detail}). Hãy chạy `manage.py migrate` với đúng phiên bản phần mềm đã tạo bản "
            "sao lưu rồi khôi phục lại."
        )
    known = {model_label(m): m for m in dumped_models()}
    unknown = [e["model"] for e in manifest["tables"].values() if e["model"] not in known]
    if unknown:
        raise BackupError(f"Bản sao lưu có bảng mà phần mềm này không biết: {unknown[0]}.")
    for model in dumped_models():
        if model in CREATED_BY_MIGRATE:
            continue
        if model._base_manager.using(using).exists():
            raise BackupError(
                "Cơ sở dữ liệu đích không trống (bảng "
                f"{model._meta.db_table} đã có dữ liệu). Chỉ khôi phục vào một cơ sở dữ liệu "
                "mới, vừa chạy `manage.py migrate`; không có gì bị ghi."
            )
    first = next(storage_files(storage), None)
    if first is not None:
        raise BackupError(
            f"Kho tệp đích không trống (đã có tệp {first}). Chỉ khôi phục vào một kho tệp "
            "trống; không có gì bị ghi."
        )


def _load_table(model: type[models.Model], handle: IO[bytes], using: str) -> int:
    # Inserted with raw=True, the way `loaddata` saves: stored values as they are (no
    # auto_now/auto_now_add stamping), no signals (no new history rows, no counters touched),
    # but in batches instead of one INSERT per row.
    fields = [f for f in model._meta.local_concrete_fields]
    connection = connections[using]
    rows, batch = 0, []
    lines = io.TextIOWrapper(handle, encoding="utf-8")
    for deserialized in serializers.deserialize("jsonl", lines, using=using):
        batch.append(deserialized.object)
        rows += 1
        if len(batch) >= BATCH:
            _insert(model, batch, fields, connection, using)
            batch = []
    if batch:
        _insert(model, batch, fields, connection, using)
    return rows


def _insert(model, objs, fields, connection, using) -> None:
    size = max(1, min(len(objs), connection.ops.bulk_batch_size(fields, objs)))
    for start in range(0, len(objs), size):
        model._base_manager.using(using)._insert(
            objs[start : start + size], fields=fields, using=using, raw=True
        )


def restore_read(
    path: Path, *, using: str = DEFAULT_DB_ALIAS, storage: Storage | None = None
) -> dict:
    """Verify, check the target, then load the archive. Returns the manifest."""
    storage = storage or default_storage
    manifest = archive_verify(path)
    target_check(manifest, using=using, storage=storage)
    models_by_member = {
        entry["member"]: (apps.get_model(entry["model"]), entry["rows"])
        for entry in manifest["tables"].values()
    }
    written: list[str] = []
    connection = connections[using]
    try:
        with transaction.atomic(using=using), tarfile.open(path, "r:gz") as archive:
            # Foreign keys are deferred to the commit on both databases (Django creates them
            # DEFERRABLE INITIALLY DEFERRED), so tables load in any order.
            for model in CREATED_BY_MIGRATE:
                model._base_manager.using(using).all().delete()
            for member in archive:
                handle = archive.extractfile(member)
                if member.name in models_by_member:
                    model, expected_rows = models_by_member[member.name]
                    rows = _load_table(model, handle, using)
                    if rows != expected_rows:
                        raise BackupError(
                            f"Bảng {model._meta.db_table}: {rows} dòng, bảng kê ghi "
                            f"{expected_rows}. Tệp sao lưu bị hỏng."
                        )
                elif member.name.startswith(f"{FILES_DIR}/"):
                    name = member.name[len(FILES_DIR) + 1 :]
                    saved = storage.save(name, File(handle, name=name))
                    written.append(saved)
                    if saved != name:
                        raise BackupError(f"Kho tệp đổi tên {name} thành {saved}: dừng lại.")
            statements = connection.ops.sequence_reset_sql(
                no_style(), [m for m, _rows in models_by_member.values()]
            )
            if statements:
                # A row created after the restore takes the next free id (PostgreSQL
                # sequences; SQLite keeps its own counter from the inserted ids).
                with connection.cursor() as cursor:
                    for sql in statements:
                        cursor.execute(sql)
    except BaseException:
        for name in written:
            storage.delete(name)
        raise
    finally:
        ContentType.objects.clear_cache()
    return manifest
