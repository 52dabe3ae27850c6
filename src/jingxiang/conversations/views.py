"""Pages of conversations: my conversations (inbox), a thread, posting, withdrawing, attachments."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jingxiang.conversations import forms, selectors, services
from jingxiang.conversations.filters import InboxFilter
from jingxiang.conversations.permissions import (
    Conversation,
    access_attachment,
    access_conversation,
    access_message,
)
from jingxiang.conversations.rules import read_rule
from jingxiang.core.listing import ExportColumn
from jingxiang.core.pages import Export, ListSpec, action, form_page, list_page, safe_next
from jingxiang.core.rendering import render_page


def inbox_spec(user: Any) -> ListSpec:
    return ListSpec(
        template="conversations/inbox.html",
        partial="conversations/_inbox_table.html",
        filterset=InboxFilter,
        sort=("last_message_at", "unread", "title"),
        default_sort="-last_message_at",
        prepare=lambda qs: qs.prefetch_related("parties"),
        export=Export(
            "我的对话",
            [
                ExportColumn(gettext_lazy("主题"), lambda t: t.title),
                ExportColumn(gettext_lazy("类别"), lambda t: t.kind_label),
                ExportColumn(gettext_lazy("对方"), lambda t: selectors.counterparts(t, user)),
                ExportColumn(gettext_lazy("最后消息时间"), lambda t: t.last_message_at),
                ExportColumn(gettext_lazy("未读"), lambda t: t.unread),
            ],
        ),
    )


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    queryset = selectors.inbox(request.user).prefetch_related("parties")
    return list_page(request, queryset, inbox_spec(request.user), {"viewer": request.user})


def _panel_context(request: HttpRequest, conversation: Conversation, form: Any = None) -> dict[str, Any]:
    return {
        "conversation": conversation,
        "messages_list": selectors.messages_of(conversation.thread),
        "form": form if form is not None else forms.MessageForm(),
        "reading_rule": read_rule(conversation.key) if conversation.side is None else None,
        "next": safe_next(request, ""),
    }


@login_required
def thread(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    conversation = access_conversation(request.user, kind, pk)
    context = _panel_context(request, conversation)
    services.thread_mark_read(user=request.user, conversation=conversation)
    return render_page(request, "conversations/thread.html", context, partial="conversations/_panel.html")


def _panel_after_post(request: HttpRequest, kind: str, pk: int, response: HttpResponse) -> HttpResponse:
    # After an HTMX post that succeeded, answer with the fresh panel (the new message, an empty form)
    # to swap in place, instead of HTMX reloading the whole page.
    if getattr(request, "htmx", None) and response.has_header("HX-Redirect"):
        conversation = access_conversation(request.user, kind, pk)
        return render_page(
            request,
            "conversations/thread.html",
            _panel_context(request, conversation),
            partial="conversations/_panel.html",
        )
    return response


@login_required
@require_POST
def message_post(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    conversation = access_conversation(request.user, kind, pk, write=True)
    form = forms.MessageForm(request.POST, request.FILES)
    thread_page = reverse("conversations:thread", args=[kind, pk])
    htmx = bool(getattr(request, "htmx", False))
    response = form_page(
        request,
        form,
        save=lambda data: services.message_post(
            actor=request.user, subject=conversation.subject, body=data["body"], files=data["attachments"]
        ),
        success_url=thread_page if htmx else safe_next(request, thread_page) + "#conversation",
        success_message="" if htmx else _("消息已发送。"),
        template="conversations/thread.html",
        partial="conversations/_panel.html",
        context=_panel_context(request, conversation, form),
    )
    return _panel_after_post(request, kind, pk, response)


@login_required
@require_POST
def message_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    conversation, message = access_message(request.user, pk)
    return action(
        request,
        lambda: services.message_withdraw(actor=request.user, message=message),
        success_url=reverse("conversations:thread", args=[conversation.key, conversation.pk]),
        success_message=_("消息已撤回。"),
    )


@login_required
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = access_attachment(request.user, pk)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)
