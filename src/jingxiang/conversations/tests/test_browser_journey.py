"""The issue's "Done when" for conversations: a conversation with an attachment on an invitation.

The firm's 共享人才官 invites the expert with a personal note, then writes on the invitation's
conversation with a PDF on a desktop page (HTMX post, the panel swapped in place); the expert, on a
phone, sees the unread count in "我的对话", reads the note and the message, downloads the PDF and
answers with a photo; the officer then sees the answer without reloading anything else.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from jingxiang.conversations.models import Attachment, Message
from jingxiang.conversations.tests.conftest import PDF, PNG
from jingxiang.testing.browser import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_conversation_with_attachment_on_an_invitation(cast, page, phone_page, live_server, tmp_path):
    from jingxiang.sharing import services as sharing_services
    from jingxiang.sharing.tests.builders import open_all_week, request_data

    base = live_server.url
    for p in (page, phone_page):
        # The first ranking of the pool builds the matching index: slow on a busy machine.
        p.context.set_default_timeout(60_000)
    # 林工 is in the pool with a profile the matching engine ranks for a coating request.
    expert = cast.expert
    expert.title = "镀膜工艺高级工程师"
    expert.description = "真空镀膜、树脂镜片加硬、减反射膜和膜层附着力(脱膜)问题专家"
    expert.region = "杜桥镇"
    expert.save()
    open_all_week(expert)
    request = sharing_services.request_file(actor=cast.talent_officer, firm=cast.firm, data=request_data())

    # Desktop: the officer invites 林工 with a note from the request page.
    login(page, base, "talent_officer")
    page.goto(f"{base}/sharing/requests/{request.pk}/")
    page.check(f"#invite-{cast.expert.pk}")
    page.fill("#id_note", "林工您好,想请您下周来看看镀膜线。")
    page.click("button:has-text('邀请所选人才')")
    page.wait_for_selector("text=已发出 1 份邀请")
    invitation = request.invitations.get()

    # The request page lists the invitation's conversation; the officer opens it and sends a PDF.
    page.click(f"a[href='/conversations/sharing-invitation/{invitation.pk}/']")
    page.wait_for_selector("text=想请您下周来看看镀膜线")
    pdf = tmp_path / "脱膜批次记录.pdf"
    pdf.write_bytes(PDF)
    page.fill("#id_body", "附件是近三个月的脱膜批次记录。")
    page.set_input_files("#id_attachments", str(pdf))
    page.click("#conversation button:has-text('发送')")
    page.wait_for_selector("#conversation a:has-text('脱膜批次记录.pdf')")
    assert page.input_value("#id_body") == ""  # the panel came back fresh
    screenshot(page, "conversation-desktop")

    # A file whose first bytes do not match its name is refused in place, nothing saved.
    # Known open issue: this refused HTMX post makes Chromium report two empty inline-style CSP refusals
    # (sha256 of ""), which the page fixture's teardown turns into an error; see docs/conversations.md.
    fake = tmp_path / "合同.pdf"
    fake.write_bytes(b"MZ\x90\x00 not a pdf")
    page.fill("#id_body", "再发一个")
    page.set_input_files("#id_attachments", str(fake))
    page.click("#conversation button:has-text('发送')")
    page.wait_for_selector("text=内容与扩展名不符")
    assert page.input_value("#id_body") == "再发一个"
    assert Message.objects.count() == 2

    # Phone: the expert sees the unread count, reads, downloads the PDF and answers with a photo.
    phone = phone_page
    login(phone, base, "expert")
    phone.goto(f"{base}/conversations/")
    phone.wait_for_selector("text=2 条未读")
    screenshot(phone, "conversation-inbox-phone")
    phone.click(f"a[href='/conversations/sharing-invitation/{invitation.pk}/']")
    phone.wait_for_selector("text=想请您下周来看看镀膜线")
    with phone.expect_download() as download:
        phone.click("a:has-text('脱膜批次记录.pdf')")
    assert download.value.suggested_filename == "脱膜批次记录.pdf"
    assert Path(download.value.path()).read_bytes() == PDF
    photo = tmp_path / "车间.png"
    photo.write_bytes(PNG)
    phone.fill("#id_body", "收到,周四上午到车间。")
    phone.set_input_files("#id_attachments", str(photo))
    phone.click("#conversation button:has-text('发送')")
    phone.wait_for_selector("#conversation a:has-text('车间.png')")
    screenshot(phone, "conversation-phone")
    phone.goto(f"{base}/conversations/")
    phone.wait_for_selector("text=已读")

    # The officer sees the answer; the unread count was theirs to clear.
    page.goto(f"{base}/conversations/")
    page.wait_for_selector("text=1 条未读")
    page.click(f"a[href='/conversations/sharing-invitation/{invitation.pk}/']")
    page.wait_for_selector("text=收到,周四上午到车间。")
    assert Attachment.objects.count() == 2
