"""The base's own pages: signing in and out, one's password, the workbook import, background jobs.
The site's URLconf (settings.ROOT_URLCONF, reports.root_urls) includes these."""

from django.urls import path

from jiguan import jobs_views, views

urlpatterns = [
    path("login/", views.sign_in, name="login"),
    path("logout/", views.sign_out, name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("import/", views.import_upload, name="import_workbook"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("jobs/", jobs_views.job_list, name="jobs"),
    path("jobs/<int:pk>/", jobs_views.job_detail, name="job"),
    path("jobs/<int:pk>/file/", jobs_views.job_file, name="job_file"),
    path("jobs/<int:pk>/confirm-import/", jobs_views.import_job_confirm, name="import_job_confirm"),
]
