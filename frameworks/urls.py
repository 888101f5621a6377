from django.urls import path

from . import views

app_name = "frameworks"
urlpatterns = [
    path("", views.framework_list, name="list"),
    path("compare/", views.framework_compare, name="compare"),
    path("<str:code>/", views.framework_detail, name="detail"),
]
