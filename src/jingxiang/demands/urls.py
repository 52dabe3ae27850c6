from django.urls import path

from jingxiang.demands import views

app_name = "demands"
urlpatterns = [
    path("", views.demand_list, name="list"),
    path("new/", views.demand_create, name="create"),
    path("for-me/", views.for_me, name="for_me"),
    path("board/", views.board, name="board"),
    path("board/rerank/", views.board_rerank, name="board_rerank"),
    path("knowledge/", views.knowledge, name="knowledge"),
    path("knowledge/<slug:document>/", views.knowledge_edit, name="knowledge_edit"),
    path("<int:pk>/", views.demand_detail, name="detail"),
    path("<int:pk>/edit/", views.demand_edit, name="edit"),
    path("<int:pk>/submit/", views.demand_submit, name="submit"),
    path("<int:pk>/screen/", views.demand_screen, name="screen"),
    path("<int:pk>/invite/", views.demand_invite, name="invite"),
    path("<int:pk>/propose/", views.demand_propose, name="propose"),
    path("<int:pk>/close/", views.demand_close, name="close"),
    path("<int:pk>/archive/", views.demand_archive, name="archive"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.attachment_download, name="attachment"),
    path("<int:pk>/challenge/new/", views.challenge_create, name="challenge_create"),
    path("invitations/<int:pk>/decline/", views.invitation_decline, name="invitation_decline"),
    path("proposals/<int:pk>/decide/", views.proposal_decide, name="proposal_decide"),
    path("challenges/", views.challenge_list, name="challenges"),
    path("challenges/<int:pk>/", views.challenge_detail, name="challenge_detail"),
    path("challenges/<int:pk>/apply/", views.challenge_apply, name="challenge_apply"),
    path("challenges/<int:pk>/reviewers/", views.challenge_reviewer_add, name="challenge_reviewer_add"),
    path("challenges/<int:pk>/start-review/", views.challenge_start_review, name="challenge_start_review"),
    path(
        "challenges/<int:pk>/applications/<int:application_pk>/score/",
        views.challenge_score,
        name="challenge_score",
    ),
    path("challenges/<int:pk>/select/", views.challenge_select, name="challenge_select"),
    path("challenges/<int:pk>/plan/", views.challenge_plan, name="challenge_plan"),
    path("challenges/<int:pk>/close/", views.challenge_close, name="challenge_close"),
    path("challenges/<int:pk>/notice.pdf", views.challenge_notice, name="challenge_notice"),
    path("milestones/<int:pk>/accept/", views.milestone_accept, name="milestone_accept"),
    path("milestones/<int:pk>/pay/", views.milestone_pay, name="milestone_pay"),
]
