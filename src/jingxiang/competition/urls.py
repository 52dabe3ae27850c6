from django.urls import path

from jingxiang.competition import views

app_name = "competition"
urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.edition_create, name="create"),
    path("mine/", views.mine, name="mine"),
    path("judging/", views.judging, name="judging"),
    path("entries/<int:pk>/", views.entry_detail, name="entry"),
    path("entries/<int:pk>/certificate.pdf", views.certificate, name="certificate"),
    path("entries/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("tracks/<int:pk>/", views.track_edit, name="track_edit"),
    path("stages/<int:pk>/", views.stage_page, name="stage"),
    path("stages/<int:pk>/round/", views.stage_round, name="stage_round"),
    path("stages/<int:pk>/judges/new/", views.judge_add, name="judge_add"),
    path("stages/<int:pk>/decide/", views.decide, name="decide"),
    path("stages/<int:pk>/current/", views.set_current, name="current"),
    path("stages/<int:pk>/live/", views.live, name="live"),
    path("stages/<int:pk>/board/", views.board, name="board"),
    path("e/<slug:slug>/", views.edition_page, name="edition"),
    path("e/<slug:slug>/register/", views.register, name="register"),
    path("e/<slug:slug>/results/", views.results, name="results"),
    path("e/<slug:slug>/manage/", views.manage, name="manage"),
    path("e/<slug:slug>/tracks/new/", views.track_add, name="track_add"),
    path("e/<slug:slug>/organisers/", views.organisers, name="organisers"),
    path("organisers/<int:pk>/remove/", views.organiser_remove, name="organiser_remove"),
    path("e/<slug:slug>/publish/", views.publish, name="publish"),
]
