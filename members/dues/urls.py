from django.urls import path

from members.dues import views

app_name = "dues"

urlpatterns = [
    path("", views.index, name="index"),
    path("arrears/", views.arrears, name="arrears"),
    path("<int:pk>/<int:year>/<int:month>/", views.month_page, name="month"),
    path("<int:pk>/<int:year>/<int:month>/pay-all/", views.pay_all, name="pay_all"),
    path("member/<int:pk>/", views.member_page, name="member"),
    path("member/<int:pk>/base/", views.base_create, name="base_create"),
    path("member/<int:pk>/pay/", views.payment_create, name="pay"),
    path("member/<int:pk>/pay/<int:year>/<int:month>/", views.pay_member_month, name="pay_month"),
    path("payments/<int:pk>/void/", views.payment_void, name="void"),
    path("payments/<int:pk>/correct/", views.payment_correct, name="correct"),
]
