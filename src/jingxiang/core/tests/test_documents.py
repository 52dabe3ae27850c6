from __future__ import annotations

import subprocess

import pytest

from jingxiang.core.documents import (
    PdfDocument,
    Signature,
    VerificationKind,
    register_verification,
    render_pdf,
)


def test_pdf_has_embedded_chinese_text(tmp_path):
    document = PdfDocument(
        title="检测报告",
        subtitle="东华大学检测实验室",
        number="JX-2026-0001",
        facts=[("委托单位", "临海市康波眼镜有限公司"), ("日期", "2026-06-20")],
        signatures=[Signature("检测员", "王工")],
        verify_kind="report",
        verify_code="ABC123",
    )
    document.add_table("检测项目", ["项目", "结果"], [["光学中心距离", "合格"]])
    pdf = render_pdf(document)
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    pdftotext = subprocess.run(["which", "pdftotext"], capture_output=True, text=True).stdout.strip()
    if pdftotext:
        text = subprocess.run([pdftotext, str(path), "-"], capture_output=True, text=True).stdout
        assert "临海市康波眼镜有限公司" in text
        assert "光学中心距离" in text


@pytest.mark.django_db
def test_public_verification_page(client):
    register_verification(
        VerificationKind(
            "test-doc",
            "测试文件",
            lambda code: (
                {"status": "valid", "status_label": "有效", "title": "证书", "facts": [("姓名", "王*")]}
                if code == "GOOD1"
                else None
            ),
        )
    )
    ok = client.get("/verify/test-doc/good1/")
    assert ok.status_code == 200
    assert "有效" in ok.content.decode()
    tampered = client.get("/verify/test-doc/GOOD2/")
    assert tampered.status_code == 404
    assert "未找到" in tampered.content.decode()
    unknown_kind = client.get("/verify/nothing/GOOD1/")
    assert unknown_kind.status_code == 404
