from django.urls import path

from jingxiang.taxfree import views

app_name = "taxfree"
urlpatterns = [
    path("", views.store_list, name="store_list"),
    path("stores/new/", views.store_create, name="store_create"),
    path("stores/<int:pk>/", views.store_detail, name="store_detail"),
    path("stores/<int:pk>/documents/", views.document_add, name="document_add"),
    path("stores/<int:pk>/submit/", views.store_submit, name="store_submit"),
    path("stores/<int:pk>/review/", views.store_review, name="store_review"),
    path("stores/<int:pk>/goods/new/", views.good_add, name="good_add"),
    path("stores/<int:pk>/goods/<int:good_pk>/edit/", views.good_edit, name="good_edit"),
    path("stores/<int:pk>/staff/new/", views.staff_add, name="staff_add"),
    path("stores/<int:pk>/staff/<int:staff_pk>/remove/", views.staff_remove, name="staff_remove"),
    path("stores/<int:pk>/counter/", views.counter, name="counter"),
    path("stores/<int:pk>/counter/check/", views.counter_check, name="counter_check"),
    path("forms/", views.form_list, name="form_list"),
    path("forms/<int:pk>/", views.form_detail, name="form_detail"),
    path("forms/<int:pk>/pdf/", views.form_pdf, name="form_pdf"),
    path("forms/<int:pk>/void/", views.form_void, name="form_void"),
    path("agency/", views.agency, name="agency"),
    path("agency/verifications/", views.verification_upload, name="verification_upload"),
    path("agency/verifications/template/", views.verification_template, name="verification_template"),
    path("agency/recovery/", views.recovery_start, name="recovery_start"),
    path("reconciliation/", views.reconciliation, name="reconciliation"),
    path("reports/", views.reports, name="reports"),
]
