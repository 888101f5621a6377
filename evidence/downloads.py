"""How a stored evidence file leaves the app, the same way for the page's link and the API's:
as an attachment under its original name, never sniffed or framed, not cached, the download
recorded in the audit trail. The caller has checked the scope and the right."""

from __future__ import annotations

from urllib.parse import quote

from django.http import FileResponse, Http404, HttpRequest

from core import audit
from core.models import AuditEvent

from .models import Evidence
from .uploads import CONTENT_TYPES


def attachment_header(name: str) -> str:
    """Content-Disposition for a download: an ASCII fallback for old clients and the exact
    UTF-8 name per RFC 5987/6266 (filename*), so Vietnamese names survive."""
    fallback = "".join(ch if 32 <= ord(ch) < 127 and ch not in '"\\;' else "_" for ch in name)
    return f"attachment; filename=\"{fallback or 'minh-chung'}\"; filename*=UTF-8''{quote(name, safe='')}"


def file_response(request: HttpRequest, evidence: Evidence) -> FileResponse:
    """The evidence's file (404 when it has none or the storage lost it), logged."""
    if not evidence.file:
        raise Http404("Minh chứng này không có tệp.")
    try:
        handle = evidence.file.open("rb")
    except (OSError, FileNotFoundError) as exc:
        raise Http404("Không tìm thấy tệp trong kho lưu trữ.") from exc
    content_type = (
        evidence.content_type
        if evidence.content_type in CONTENT_TYPES
        else "application/octet-stream"
    )
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = attachment_header(evidence.original_name or "minh-chung")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    audit.event_record(kind=AuditEvent.Kind.DOWNLOAD, request=request, obj=evidence)
    return response
