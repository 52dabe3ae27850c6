"""Participant photos: what is accepted (by the file's first bytes, not its name) and how it is stored.

An upload is accepted as JPEG, PNG or WebP when its leading bytes say so, it is within the size limit,
and Pillow can decode it within a pixel budget (no decompression bombs). It is then re-encoded: turned
upright (EXIF orientation), shrunk to fit ``MAX_SIDE`` and saved as a fresh JPEG under a random name, so
no uploaded bytes (metadata, scripts hidden in comments, another format behind the name) are ever served.
"""

from __future__ import annotations

import io
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 480
SIGNATURES = {
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}


def sniff(head: bytes) -> str | None:
    """The image format the first bytes announce (jpeg, png, webp), or None."""
    for kind, prefixes in SIGNATURES.items():
        if any(head.startswith(prefix) for prefix in prefixes):
            return kind
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


def clean_photo(upload: Any) -> ContentFile:
    """Check an uploaded photo and return the stored version (JPEG, at most MAX_SIDE px a side)."""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise ValidationError(_("照片不能超过 5 MB。"), code="photo_size")
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationError(_("照片不能超过 5 MB。"), code="photo_size")
    kind = sniff(data[:16])
    if kind is None:
        raise ValidationError(_("照片须为 JPEG、PNG 或 WebP 图片。"), code="photo_type")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if (probe.format or "").lower() != kind:
                raise ValidationError(_("照片须为 JPEG、PNG 或 WebP 图片。"), code="photo_type")
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError(_("照片尺寸过大,请缩小后再上传。"), code="photo_pixels")
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            picture = ImageOps.exif_transpose(image).convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(_("照片文件已损坏或无法识别。"), code="photo_broken") from None
    picture.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=85, optimize=True)
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg")
