"""Conversations through the services and pages: attachments checked by their first bytes, read marks,
notifications after commit, withdrawal instead of deletion, the invitation's note, the inbox export."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jingxiang.conversations import selectors, services
from jingxiang.conversations.models import Message, Thread
from jingxiang.conversations.tests.conftest import PDF, PNG, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast: Any) -> Any:
    return build_world(cast)


def client_for(user: Any) -> Client:
    client = Client(raise_request_exception=True)
    client.force_login(user)
    return client


def unread(user: Any) -> dict[str, int]:
    return {t.title: t.unread for t in selectors.inbox(user)}


def test_message_with_attachments_reaches_the_other_side_once(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from jingxiang.core.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        message = services.message_post(
            actor=world.talent_officer,
            subject=world.invitation,
            body="请看附件",
            files=[SimpleUploadedFile("记录.pdf", PDF), SimpleUploadedFile("照片.png", PNG)],
        )
    assert [a.name for a in message.attachments.all()] == ["记录.pdf", "照片.png"]
    assert message.author_side == world.firm.name
    notified = set(
        Notification.objects.filter(kind="conversation").values_list("recipient__username", flat=True)
    )
    assert notified == {"expert"}  # the other side only; not the author's colleagues, not the station
    with django_capture_on_commit_callbacks(execute=True):
        services.message_post(actor=world.talent_officer, subject=world.invitation, body="再补充一点")
    assert Notification.objects.filter(kind="conversation").count() == 1  # still unread: not repeated
    with django_capture_on_commit_callbacks(execute=True):
        services.message_post(actor=world.expert_user, subject=world.invitation, body="收到")
    assert set(
        Notification.objects.filter(kind="conversation").values_list("recipient__username", flat=True)
    ) == {"expert", "firm_admin", "talent_officer"}


def test_unread_counts_per_participant(world: Any) -> None:
    services.message_post(actor=world.talent_officer, subject=world.invitation, body="第一条")
    services.message_post(actor=world.talent_officer, subject=world.invitation, body="第二条")
    title = Thread.objects.get().title
    assert unread(world.expert_user) == {title: 2}
    assert unread(world.talent_officer) == {title: 0}  # one's own messages are read
    assert unread(world.firm_admin) == {title: 2}  # a colleague reads for themself
    assert unread(world.other_firm_admin) == {}
    assert unread(world.operator) == {}  # reading under the rules is not being a party
    response = client_for(world.expert_user).get(f"/conversations/sharing-invitation/{world.invitation.pk}/")
    assert "第二条" in response.content.decode()
    assert unread(world.expert_user) == {title: 0}
    assert unread(world.firm_admin) == {title: 2}
    filtered = client_for(world.firm_admin).get("/conversations/?unread=true")
    assert title in filtered.content.decode()
    assert title not in client_for(world.expert_user).get("/conversations/?unread=true").content.decode()


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("合同.pdf", b"MZ\x90\x00 not a pdf", "不符"),
        ("程序.exe", b"MZ\x90\x00", "类型不支持"),
        ("空.pdf", b"", "空文件"),
    ],
)
def test_attachments_are_checked_by_type_and_first_bytes(
    world: Any, name: str, content: bytes, code: str
) -> None:
    with pytest.raises(ValidationError) as error:
        services.message_post(
            actor=world.talent_officer,
            subject=world.invitation,
            body="x",
            files=[SimpleUploadedFile(name, content)],
        )
    assert code in " ".join(error.value.messages)
    assert not Message.objects.exists() and not Thread.objects.exists()


def test_size_count_and_text_limits(world: Any) -> None:
    big = SimpleUploadedFile("大.pdf", PDF + b"0" * (10 * 1024 * 1024))
    with pytest.raises(ValidationError, match="10 MB"):
        services.message_post(actor=world.talent_officer, subject=world.invitation, body="", files=[big])
    many = [SimpleUploadedFile(f"{i}.pdf", PDF) for i in range(4)]
    with pytest.raises(ValidationError, match="3"):
        services.message_post(actor=world.talent_officer, subject=world.invitation, body="x", files=many)
    with pytest.raises(ValidationError):
        services.message_post(actor=world.talent_officer, subject=world.invitation, body="   ")
    with pytest.raises(ValidationError):
        services.message_post(actor=world.talent_officer, subject=world.invitation, body="<script>x</script>")
    assert not Message.objects.exists()


def test_only_parties_write(world: Any) -> None:
    for outsider in (world.operator, world.other_firm_admin, world.member, world.lab_staff):
        with pytest.raises(PermissionDenied):
            services.message_post(actor=outsider, subject=world.invitation, body="我也说一句")
    with pytest.raises(PermissionDenied):
        services.message_post(actor=world.expert_user, subject=world.proposal, body="不是我的方案")
    # The station is a party of a request: operators write there.
    assert services.message_post(actor=world.operator, subject=world.request, body="驿站正在匹配").author_side


def test_withdrawn_message_stays_and_its_files_are_gone(world: Any) -> None:
    message = services.message_post(
        actor=world.talent_officer,
        subject=world.invitation,
        body="发错了",
        files=[SimpleUploadedFile("a.pdf", PDF)],
    )
    attachment = message.attachments.get()
    expert = client_for(world.expert_user)
    assert expert.get(f"/conversations/attachments/{attachment.pk}/").status_code == 200
    with pytest.raises(PermissionDenied):
        services.message_withdraw(actor=world.firm_admin, message=message)
    services.message_withdraw(actor=world.talent_officer, message=message)
    with pytest.raises(ValidationError):
        services.message_withdraw(actor=world.talent_officer, message=message)
    message.refresh_from_db()
    assert message.body == "发错了" and message.withdrawn  # kept, not deleted
    page = expert.get(f"/conversations/sharing-invitation/{world.invitation.pk}/").content.decode()
    assert "消息已撤回" in page and "发错了" not in page
    assert expert.get(f"/conversations/attachments/{attachment.pk}/").status_code == 404
    assert unread(world.expert_user) == {Thread.objects.get().title: 0}  # withdrawn ones do not count


def test_messages_are_audited(world: Any) -> None:
    from auditlog.models import LogEntry

    message = services.message_post(actor=world.talent_officer, subject=world.invitation, body="审计")
    services.message_withdraw(actor=world.talent_officer, message=message)
    entries = LogEntry.objects.get_for_object(message)
    assert entries.count() == 2


def test_invitation_note_is_the_first_message(cast: Any) -> None:
    from jingxiang.sharing import services as sharing_services
    from jingxiang.sharing.tests.builders import request_data

    request = sharing_services.request_file(actor=cast.talent_officer, firm=cast.firm, data=request_data())
    client = client_for(cast.talent_officer)
    response = client.post(
        f"/sharing/requests/{request.pk}/invite/",
        {"talents": [cast.expert.pk], "note": "林工您好,想请您来看看镀膜线。"},
    )
    assert response.status_code == 302
    invitation = request.invitations.get()
    thread = Thread.objects.get(kind="sharing-invitation", object_id=invitation.pk)
    first = thread.messages.get()
    assert (first.author, first.body) == (cast.talent_officer, "林工您好,想请您来看看镀膜线。")
    page = client_for(cast.expert_user).get(f"/sharing/requests/{request.pk}/").content.decode()
    assert f"/conversations/sharing-invitation/{invitation.pk}/" in page
    assert "1 条未读" in page


def test_htmx_post_swaps_the_panel_and_plain_post_goes_back(world: Any) -> None:
    client = client_for(world.expert_user)
    url = f"/conversations/events-meeting/{world.meeting.pk}/post/"
    response = client.post(
        url, {"body": "HTMX 消息", "next": "/events/"}, HTTP_HX_REQUEST="true", follow=True
    )
    html = response.content.decode()
    assert "HTMX 消息" in html and "<html" not in html and 'id="conversation"' in html
    response = client.post(url, {"body": "普通表单", "next": f"/events/meetings/{world.meeting.pk}/"})
    assert response.status_code == 302 and response["Location"].startswith(
        f"/events/meetings/{world.meeting.pk}/"
    )
    response = client.post(url, {"body": ""}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "请写下消息内容" in response.content.decode()
    page = client.get(f"/events/meetings/{world.meeting.pk}/").content.decode()
    assert "普通表单" in page and "HTMX 消息" in page


def test_operator_reads_only_where_the_rules_say(world: Any) -> None:
    services.message_post(actor=world.talent_officer, subject=world.invitation, body="邀请对话")
    services.message_post(actor=world.talent_officer, subject=world.proposal, body="方案对话")
    operator = client_for(world.operator)
    page = operator.get(f"/conversations/sharing-invitation/{world.invitation.pk}/").content.decode()
    assert "邀请对话" in page and "平台运营身份" in page and 'name="body"' not in page
    assert operator.get(f"/conversations/demands-proposal/{world.proposal.pk}/").status_code == 404
    demand_page = operator.get(f"/demands/{world.demand.pk}/")
    assert "方案对话" not in demand_page.content.decode()


def test_rules_default_to_private() -> None:
    from jingxiang.conversations.rules import read_rule

    assert read_rule("not-a-kind").operators_read is False
    assert read_rule("demands-proposal").operators_read is False
    assert read_rule("sharing-invitation").operators_read is True


def test_inbox_export_lists_my_threads(world: Any) -> None:
    from openpyxl import load_workbook

    services.message_post(actor=world.lab_staff, subject=world.proposal, body="报价含复测")
    response = client_for(world.firm_admin).get("/conversations/?export=xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:5] == ("主题", "类别", "对方", "最后消息时间", "未读")
    assert rows[1][0] == "镀膜附着力检测 · 东华大学检测实验室"
    assert rows[1][1:3] == ("对接方案", "东华大学检测实验室") and rows[1][4] == 1
    assert len(rows) == 2


def test_inbox_queries_do_not_grow(world: Any, django_assert_max_num_queries: Any) -> None:
    for subject in (world.invitation, world.application, world.meeting, world.request):
        services.message_post(actor=world.talent_officer, subject=subject, body="hi")
    client = client_for(world.talent_officer)
    client.get("/conversations/")
    with django_assert_max_num_queries(40):
        html = client.get("/conversations/").content.decode()
    assert html.count("/conversations/sharing-invitation/") == 1


def test_demo_writes_through_the_services(world: Any) -> None:
    from types import SimpleNamespace

    from jingxiang.conversations import demo
    from jingxiang.conversations.models import Attachment

    context = SimpleNamespace(notes=[], users={})
    demo.load(context)
    assert Attachment.objects.filter(message__thread__kind="sharing-invitation").count() == 1
    assert {t.kind: t.messages.count() for t in Thread.objects.all()} == {
        "sharing-invitation": 2,
        "demands-proposal": 2,
        "events-meeting": 1,
    }
    assert context.notes
