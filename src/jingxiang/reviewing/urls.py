from django.urls import path

from jingxiang.reviewing import views

app_name = "reviewing"
urlpatterns = [
    path("mine/", views.my_reviews, name="mine"),
    path("assignments/<int:pk>/", views.score_sheet, name="score"),
    path("rounds/<int:pk>/", views.round_page, name="round"),
    path("rounds/<int:pk>/assign/", views.round_assign, name="assign"),
    path("rounds/<int:pk>/close/", views.round_close, name="close"),
    path("rounds/<int:pk>/submissions/<int:submission_pk>/", views.submission_detail, name="submission"),
]
