from django.urls import path

from jingxiang.conversations import views

app_name = "conversations"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("messages/<int:pk>/withdraw/", views.message_withdraw, name="withdraw"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("<slug:kind>/<int:pk>/", views.thread, name="thread"),
    path("<slug:kind>/<int:pk>/post/", views.message_post, name="post"),
]
