from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Excel 文件(.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx", "class": "input"}),
    )

    def clean_file(self) -> UploadedFile[bytes]:
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        if not (upload.name or "").lower().endswith(".xlsx"):
            raise forms.ValidationError(_("只能上传 .xlsx 格式的 Excel 文件。"), code="file_type")
        if (upload.size or 0) > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("文件太大:最大 %(mb)s MB。") % {"mb": settings.IMPORT_MAX_BYTES // (1024 * 1024)},
                code="file_size",
            )
        head = upload.read(4)
        upload.seek(0)
        if head != b"PK\x03\x04":
            raise forms.ValidationError(
                _("文件内容不是 Excel 工作簿,请用模板另存为 .xlsx。"), code="file_type"
            )
        return upload
