from django.urls import path

from reports import dashboard_views, views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
]
