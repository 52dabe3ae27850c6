from django.urls import path

from jingxiang.talents import views

app_name = "talents"
urlpatterns = [
    path("", views.talent_list, name="list"),
    path("new/", views.talent_create, name="create"),
    path("me/", views.talent_me, name="me"),
    path("skills/", views.skill_catalogue, name="skills"),
    path("<int:pk>/", views.talent_detail, name="detail"),
    path("<int:pk>/edit/", views.talent_edit, name="edit"),
    path("<int:pk>/archive/", views.talent_archive, name="archive"),
]
