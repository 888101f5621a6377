from django.urls import path

from schools import views_units as views

app_name = "units"
urlpatterns = [
    path("", views.unit_list, name="list"),
    path("<str:uid>/", views.unit_detail, name="detail"),
]
