from django.urls import path

from jingxiang.events import views

app_name = "events"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("new/", views.event_create, name="create"),
    path("requests/", views.request_list, name="requests"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/edit/", views.event_edit, name="edit"),
    path("<int:pk>/sessions/add/", views.session_add, name="session_add"),
    path("<int:pk>/tables/add/", views.tables_add, name="tables_add"),
    path("<int:pk>/open/", views.event_open, name="open"),
    path("<int:pk>/close/", views.event_close, name="close"),
    path("<int:pk>/register/", views.register, name="register"),
    path("<int:pk>/participants/", views.participant_list, name="participants"),
    path("<int:pk>/schedule/", views.schedule, name="schedule"),
    path("<int:pk>/table-cards/", views.table_cards, name="table_cards"),
    path("<int:pk>/checkin/", views.checkin, name="checkin"),
    path("<int:pk>/board/", views.board, name="board"),
    path("<int:pk>/report/", views.report, name="report"),
    path("participants/<int:pk>/edit/", views.participant_edit, name="participant_edit"),
    path("participants/<int:pk>/withdraw/", views.participant_withdraw, name="participant_withdraw"),
    path("participants/<int:pk>/request/", views.request_create, name="request_create"),
    path("participants/<int:pk>/agenda/", views.agenda, name="agenda"),
    path("participants/<int:pk>/agenda.pdf", views.agenda_pdf, name="agenda_pdf"),
    path("checkin/<str:code>/", views.checkin_code, name="checkin_code"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/respond/", views.meeting_respond, name="respond"),
    path("meetings/<int:pk>/withdraw/", views.meeting_withdraw, name="withdraw"),
    path("meetings/<int:pk>/place/", views.meeting_place, name="place"),
    path("meetings/<int:pk>/unlock/", views.meeting_unlock, name="unlock"),
    path("meetings/<int:pk>/attendance/", views.meeting_attendance, name="attendance"),
    path("meetings/<int:pk>/feedback/", views.meeting_feedback, name="feedback"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("runs/<int:pk>/publish/", views.run_publish, name="publish"),
]
