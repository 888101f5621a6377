from django.urls import path

from . import views

app_name = "publication"

urlpatterns = [
    path("", views.index, name="index"),
    path("tinh/<str:uid>/", views.province, name="province"),
    path("truong/<str:code>/", views.school, name="school"),
    path("quan-ly/<str:code>/", views.manage, name="manage"),
]
