from django.urls import path

from activities.evaluations import views

app_name = "evaluations"

urlpatterns = [
    path("", views.index, name="index"),
    path("commitment-reminders/", views.commitment_reminders, name="commitment_reminders"),
    path("reports/", views.reports, name="reports"),
    path("reports/organization/<int:organization_pk>/", views.report_record, name="report_record"),
    path("reports/<int:pk>/file/", views.report_file, name="report_file"),
    path("appraisals/", views.appraisals, name="appraisals"),
    path("appraisals/organization/<int:organization_pk>/", views.appraisal_enter, name="appraisal_enter"),
    path("sheets/", views.sheets, name="sheets"),
    path("sheets/new/", views.sheet_create, name="sheet_create"),
    path("sheets/<int:pk>/", views.sheet_detail, name="sheet"),
    path("sheets/<int:pk>/items/", views.item_add, name="item_add"),
    path("sheets/<int:pk>/targets/", views.target_add, name="target_add"),
    path("targets/<int:pk>/scores/", views.scores_enter, name="scores_enter"),
]
