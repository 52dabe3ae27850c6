from django.urls import path

from jingxiang.parks import views

app_name = "parks"
urlpatterns = [
    path("", views.site_list, name="sites"),
    path("sites/<int:pk>/", views.site_detail, name="site_detail"),
    path("sites/<int:pk>/units/new/", views.unit_add, name="unit_add"),
    path("sites/<int:pk>/review/", views.incubation_review, name="incubation_review"),
    path("units/<int:pk>/lease/", views.lease_sign, name="lease_sign"),
    path("leases/", views.lease_list, name="leases"),
    path("leases/reminders/", views.reminders_run, name="reminders_run"),
    path("requests/", views.request_list, name="requests"),
    path("requests/new/", views.request_create, name="request_create"),
    path("requests/<int:pk>/resolve/", views.request_resolve, name="request_resolve"),
]
