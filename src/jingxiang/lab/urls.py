from django.urls import path

from jingxiang.lab import views

app_name = "lab"
urlpatterns = [
    path("", views.request_list, name="request_list"),
    path("requests/new/", views.request_create, name="request_create"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("requests/<int:pk>/cancel/", views.request_cancel, name="request_cancel"),
    path("requests/<int:pk>/samples/", views.sample_register, name="sample_register"),
    path("samples/", views.sample_list, name="sample_list"),
    path("samples/<int:pk>/", views.sample_detail, name="sample_detail"),
    path("samples/<int:pk>/label/", views.sample_label, name="sample_label"),
    path("samples/<int:pk>/custody/", views.custody_record, name="custody_record"),
    path("samples/<int:pk>/assign/", views.sample_assign, name="sample_assign"),
    path("samples/<int:pk>/results/", views.results_enter, name="results_enter"),
    path("samples/<int:pk>/review/", views.sample_review, name="sample_review"),
    path("reports/", views.report_list, name="report_list"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/pdf/", views.report_download, name="report_pdf"),
    path("reports/<int:pk>/correct/", views.report_correct, name="report_correct"),
    path("instruments/", views.instrument_list, name="instrument_list"),
    path("instruments/<int:pk>/", views.instrument_edit, name="instrument_edit"),
    path("standards/", views.standard_list, name="standard_list"),
    path("standards/<int:pk>/archive/", views.standard_archive, name="standard_archive"),
    path("batch/", views.batch_upload, name="batch_upload"),
    path("batch/template/", views.batch_template, name="batch_template"),
    path("quality/", views.quality, name="quality"),
    path("quality/public/", views.quality_public, name="quality_public"),
    path("product-lines/", views.product_line_list, name="product_line_list"),
    path("product-lines/<int:pk>/", views.product_line_detail, name="product_line_detail"),
    path("product-lines/<int:pk>/field-tests/new/", views.field_test_create, name="field_test_create"),
    path("brand/", views.brand_list, name="brand_list"),
    path("brand/apply/", views.brand_apply, name="brand_apply"),
    path("brand/<int:pk>/", views.brand_detail, name="brand_detail"),
    path("brand/<int:pk>/review/", views.brand_review, name="brand_review"),
    path("brand/<int:pk>/print/", views.brand_print, name="brand_print"),
]
