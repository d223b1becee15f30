from django.urls import include, path

from jiguan import jobs_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.sign_in, name="login"),
    path("logout/", views.sign_out, name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("accounts/", include(("jiguan.account_urls", "accounts"))),
    path("import/", views.import_upload, name="import_workbook"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("history/<int:content_type_id>/<str:object_id>/", views.history, name="history"),
    path("jobs/", jobs_views.job_list, name="jobs"),
    path("jobs/<int:pk>/", jobs_views.job_detail, name="job"),
    path("jobs/<int:pk>/file/", jobs_views.job_file, name="job_file"),
    path("jobs/<int:pk>/confirm-import/", jobs_views.import_job_confirm, name="import_job_confirm"),
    path("organizations/", include("organizations.urls")),
    path("members/", include("members.urls")),
    path("dues/", include("members.dues.urls")),
    path("activities/", include("activities.urls")),
    path("reports/", include("reports.urls")),
    path("integrity/", include("members.integrity.urls")),
    path("evaluations/", include("activities.evaluations.urls")),
]

handler400 = "jiguan.views.bad_request"
handler403 = "jiguan.views.permission_denied"
handler404 = "jiguan.views.page_not_found"
handler500 = "jiguan.views.server_error"
