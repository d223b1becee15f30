from django.urls import path

from reports import assessment_views, dashboard_views, dues_views, views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("summaries.zip", views.summaries_zip, name="summaries_zip"),
    path(
        "assessments/<int:pk>/<str:file_format>/",
        assessment_views.assessment_download,
        name="assessment_download",
    ),
    path("<int:organization_pk>/<int:year>/", views.report, name="report"),
    path("<int:organization_pk>/<int:year>/records/<str:code>/", views.records, name="records"),
    path("<int:organization_pk>/<int:year>/edit/", views.edit, name="edit"),
    path("<int:organization_pk>/<int:year>/preview/", views.preview, name="preview"),
    path("<int:organization_pk>/<int:year>/readiness/", views.readiness_check, name="readiness"),
    path("<int:organization_pk>/<int:year>/download/<str:file_format>/", views.download, name="download"),
    path("dues/<int:pk>/<int:year>/publicity.<str:file_format>", dues_views.publicity, name="dues_publicity"),
]
