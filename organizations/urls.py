from django.urls import path

from organizations import views

app_name = "organizations"

urlpatterns = [
    path("", views.tree, name="tree"),
    path("list/", views.organization_list, name="list"),
    path("pick/", views.pick, name="pick"),
    path("terms/", views.terms, name="terms"),
    path("new/", views.found, name="found"),
    path("units/", views.unit_list, name="units"),
    path("units/new/", views.unit_create, name="unit_create"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("liaisons/", views.liaison_list, name="liaisons"),
    path("liaisons/new/", views.liaison_create, name="liaison_create"),
    path("liaisons/<int:pk>/end/", views.liaison_end, name="liaison_end"),
    path("appointments/<int:pk>/end/", views.appointment_end, name="appointment_end"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/rename/", views.rename, name="rename"),
    path("<int:pk>/move/", views.move, name="move"),
    path("<int:pk>/merge/", views.merge, name="merge"),
    path("<int:pk>/dissolve/", views.dissolve, name="dissolve"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("<int:pk>/appointments/new/", views.appointment_create, name="appointment_create"),
    path("<int:pk>/elections/new/", views.election_create, name="election_create"),
]
