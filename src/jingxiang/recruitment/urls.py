from django.urls import path

from jingxiang.recruitment import views

app_name = "recruitment"
urlpatterns = [
    path("", views.fair_list, name="fairs"),
    path("new/", views.fair_create, name="create"),
    path("<int:pk>/", views.fair_detail, name="fair"),
    path("<int:pk>/invite/", views.fair_invite, name="invite"),
    path("<int:pk>/open/", views.fair_open, name="open"),
    path("<int:pk>/schedule/", views.fair_schedule, name="schedule"),
    path("<int:pk>/report/", views.fair_report, name="fair_report"),
    path("<int:pk>/classes/", views.class_add, name="class_add"),
    path("booths/<int:pk>/join/", views.fair_join, name="join"),
    path("booths/<int:pk>/jobs/new/", views.job_create, name="job_create"),
    path("applications/", views.application_list, name="applications"),
    path("applications/move/", views.applications_move, name="move"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/note/", views.application_note, name="note"),
    path("applications/<int:pk>/place/", views.interview_place, name="place"),
    path("applications/<int:pk>/offer/", views.offer_make, name="offer"),
    path("applications/<int:pk>/offer/revoke/", views.offer_revoke, name="offer_revoke"),
    path("applications/<int:pk>/offer.pdf", views.offer_pdf, name="offer_pdf"),
    path("applications/<int:pk>/respond/", views.offer_respond, name="respond"),
    path("applications/<int:pk>/hire/", views.hire_record, name="hire"),
    path("applications/<int:pk>/withdraw/", views.application_withdraw, name="withdraw"),
    path("report/", views.firm_report, name="firm_report"),
    path("me/", views.mine, name="mine"),
    path("f/<str:code>/", views.fair_public, name="public"),
    path("f/<str:code>/register/", views.student_register, name="register"),
    path("f/<str:code>/login/", views.student_login, name="login"),
    path("f/<str:code>/apply/", views.apply, name="apply"),
]
