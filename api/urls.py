from django.urls import path

from api import views

app_name = "api"
urlpatterns = [
    path("me/", views.me, name="me"),
    path("schools/", views.school_list, name="school_list"),
    path("schools/<str:code>/", views.school_detail, name="school_detail"),
    path("units/<str:uid>/", views.unit_detail, name="unit_detail"),
]
