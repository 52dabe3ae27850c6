"""Course materials: what an uploaded file really is, judged by its first bytes (``materials.yaml``
says which formats are accepted and how large a file may be)."""

from __future__ import annotations

import functools
import io
import zipfile
from pathlib import Path
from typing import IO, Any

import yaml
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext as _

_OFFICE_PARTS = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}


@functools.cache
def material_rules() -> dict[str, Any]:
    rules: dict[str, Any] = yaml.safe_load(
        (Path(__file__).with_name("materials.yaml")).read_text(encoding="utf-8")
    )
    return rules


def format_label(code: str) -> str:
    spec = material_rules()["formats"].get(code)
    if spec is None:
        return code
    english = not (get_language() or "zh-hans").lower().startswith("zh")
    return str(spec["label_en"] if english else spec["label_zh"])


def sniff(head: bytes, upload: IO[bytes] | None = None) -> str | None:
    """The format code of a file from its first bytes (an Office file is a zip: its parts decide)."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return "mp4"
    if head.startswith(b"PK\x03\x04") and upload is not None:
        upload.seek(0)
        try:
            with zipfile.ZipFile(upload) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, OSError):
            return None
        finally:
            upload.seek(0)
        if "[Content_Types].xml" not in names:
            return None
        for code, prefix in _OFFICE_PARTS.items():
            if any(name.startswith(prefix) for name in names):
                return code
    return None


def check_upload(upload: Any) -> tuple[str, int]:
    """The format and size of an uploaded file, or a ValidationError saying what is wrong with it."""
    rules = material_rules()
    size = int(upload.size or 0)
    if size == 0:
        raise ValidationError(_("文件是空的,请重新选择。"), code="empty")
    if size > rules["max_bytes"]:
        raise ValidationError(
            _("文件太大:最大 %(mb)s MB,较长的视频请以视频链接方式添加。")
            % {"mb": rules["max_bytes"] // (1024 * 1024)},
            code="too_large",
        )
    stream = upload.file if hasattr(upload, "file") else io.BytesIO(upload.read())
    stream.seek(0)
    head = stream.read(16)
    stream.seek(0)
    found = sniff(head, stream)
    allowed = rules["formats"]
    names = _("、").join(format_label(code) for code in allowed)
    if found is None or found not in allowed:
        raise ValidationError(
            _("无法识别的文件格式(按文件内容判断)。可上传:%(names)s。") % {"names": names}, code="bad_type"
        )
    extension = Path(str(upload.name)).suffix.lower().lstrip(".")
    if extension not in allowed[found]["extensions"]:
        raise ValidationError(
            _("文件扩展名“.%(ext)s”与文件内容(%(found)s)不符,请检查后重新上传。")
            % {"ext": extension, "found": format_label(found)},
            code="extension_mismatch",
        )
    return found, size
