from django.urls import path

from members.integrity import views

app_name = "integrity"

urlpatterns = [
    path("commitments/", views.commitments, name="commitments"),
    path("commitments/rule/", views.commitment_rule, name="commitment_rule"),
    path("commitments/member/<int:member_pk>/", views.commitment_record, name="commitment_record"),
    path("commitments/<int:pk>/scan/", views.commitment_scan, name="commitment_scan"),
    path("commitments/<int:pk>/scan/upload/", views.commitment_attach_scan, name="commitment_attach_scan"),
    path("risk-forms/", views.risk_forms, name="risk_forms"),
    path("risk-forms/member/<int:member_pk>/", views.risk_form_edit, name="risk_form_edit"),
    path("community/", views.community, name="community"),
    path("community/member/<int:member_pk>/", views.community_register, name="community_register"),
    path("community/<int:pk>/end/", views.community_end, name="community_end"),
]
