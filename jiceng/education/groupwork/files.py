"""Stored files of shared course resources: saved under ``MEDIA_ROOT`` with a random name, SHA-256
kept, served back only through the scoped download views (never as a public media URL)."""

from __future__ import annotations

import hashlib
import mimetypes
import uuid
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponse


def store_upload(upload: Any, folder: str) -> dict[str, Any]:
    """Save ``upload`` as ``<folder>/<random>.<ext>``; its stored name, original name, type, size, SHA-256.

    The caller deletes the file (``discard_file``) when its database write fails."""
    original = PurePosixPath(str(getattr(upload, "name", "") or "file")).name[:200]
    suffix = PurePosixPath(original).suffix.lower()
    digest = hashlib.sha256()
    size = 0
    for chunk in upload.chunks():
        digest.update(chunk)
        size += len(chunk)
    upload.seek(0)
    name = default_storage.save(f"{folder}/{uuid.uuid4().hex}{suffix}", upload)
    return {
        "file": name,
        "original_name": original,
        # from the extension, never from the client: the file is served back with this type
        "content_type": (mimetypes.guess_type(original)[0] or "application/octet-stream")[:100],
        "size_bytes": size,
        "sha256": digest.hexdigest(),
    }


def discard_file(name: str) -> None:
    if name and default_storage.exists(name):
        default_storage.delete(name)


def file_digest(name: str) -> str:
    """The SHA-256 of a stored file now (to show it is unchanged)."""
    digest = hashlib.sha256()
    with default_storage.open(name, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def file_response(name: str, content_type: str, original: str) -> HttpResponse:
    """The stored file as an attachment, never cached by shared caches."""
    if not name or not default_storage.exists(name):
        return HttpResponse(status=404)
    response = FileResponse(default_storage.open(name, "rb"), content_type=content_type or "application/octet-stream")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(original or 'file')}"
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
