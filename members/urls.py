from django.urls import path

from members import views

app_name = "members"

urlpatterns = [
    path("", views.roster, name="roster"),
    path("pick/", views.pick, name="pick"),
    path("new/", views.member_create, name="create"),
    path("transfer-in/", views.member_transfer_in, name="transfer_in"),
    path("<int:pk>/", views.member_detail, name="detail"),
    path("<int:pk>/edit/", views.member_edit, name="edit"),
    path("<int:pk>/move/", views.member_move, name="move"),
    path("<int:pk>/transfer-out/", views.member_transfer_out, name="transfer_out"),
    path("<int:pk>/confirm/", views.member_confirm, name="confirm"),
    path("<int:pk>/extend-probation/", views.member_extend_probation, name="extend_probation"),
    path("<int:pk>/category/", views.member_change_category, name="change_category"),
    path("<int:pk>/leave/", views.member_leave, name="leave"),
    path("prospects/", views.prospect_list, name="prospects"),
    path("prospects/new/", views.prospect_create, name="prospect_create"),
    path("prospects/<int:pk>/", views.prospect_detail, name="prospect"),
    path("prospects/<int:pk>/step/", views.prospect_record_step, name="prospect_step"),
    path("prospects/steps/<int:pk>/edit/", views.prospect_correct_step, name="prospect_step_edit"),
    path("prospects/steps/<int:pk>/delete/", views.prospect_delete_step, name="prospect_step_delete"),
    path("prospects/<int:pk>/promote/", views.prospect_promote, name="prospect_promote"),
    path("prospects/<int:pk>/admit/", views.prospect_admit, name="prospect_admit"),
    path("prospects/<int:pk>/withdraw/", views.prospect_withdraw, name="prospect_withdraw"),
    path("board/", views.board_home, name="board_home"),
    path("board/<int:pk>/", views.board, name="board"),
    path("commendations/", views.commendation_list, name="commendations"),
    path("commendations/new/", views.commendation_create, name="commendation_create"),
    path("medals/", views.medals, name="medals"),
    path("medals/award/", views.medal_award, name="medal_award"),
    path("national/export.xlsx", views.national_export, name="national_export"),
    path("national/reconcile/", views.reconcile, name="reconcile"),
    path("national/reconcile/<int:pk>/apply/", views.reconcile_apply, name="reconcile_apply"),
]
