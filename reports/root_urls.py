"""The site's URLs (settings.ROOT_URLCONF): the top layer includes every app's pages."""

from django.urls import include, path

from organizations import views as organization_views
from reports import views as report_views

urlpatterns = [
    path("", report_views.home, name="home"),
    path("", include("jiguan.urls")),
    path("accounts/", include(("organizations.accounts.urls", "accounts"))),
    path("history/<int:content_type_id>/<str:object_id>/", organization_views.history, name="history"),
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
