from django.urls import path

from organizations.accounts import views

urlpatterns = [
    path("", views.account_list, name="list"),
    path("new/", views.account_create, name="create"),
    path("<int:pk>/", views.account_edit, name="edit"),
    path("<int:pk>/password/", views.account_reset_password, name="reset_password"),
    path("<int:pk>/deactivate/", views.account_deactivate, name="deactivate"),
]
