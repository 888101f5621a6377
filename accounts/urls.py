from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views, views_people
from accounts.forms import LoginForm
from accounts.importing import people_import, people_import_confirm, people_import_template

app_name = "accounts"
urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("lockouts/", views.lockouts, name="lockouts"),
    path("password/", views.PasswordChange.as_view(), name="password_change"),
    path("password/done/", views.password_change_done, name="password_change_done"),
    # "Quên mật khẩu": Django's reset by mail, in Vietnamese templates (registration/).
    path("password/reset/", views.PasswordReset.as_view(), name="password_reset"),
    path("password/reset/sent/", views.password_reset_done, name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirm.as_view(),
        name="password_reset_confirm",
    ),
    path("password/reset/done/", views.password_reset_complete, name="password_reset_complete"),
    # Accounts managed by units (issue 14 §1)
    path("people/", views_people.people, name="people"),
    path("people/new/", views_people.person_create, name="person_create"),
    path("people/import/", people_import, name="people_import"),
    path("people/import/template/", people_import_template, name="people_import_template"),
    path("people/import/confirm/", people_import_confirm, name="people_import_confirm"),
    path("people/<int:pk>/", views_people.person, name="person"),
    path("people/<int:pk>/active/", views_people.person_active, name="person_active"),
    path("people/<int:pk>/password/", views_people.person_password, name="person_password"),
    path("people/<int:pk>/seats/", views_people.person_seat_add, name="person_seat_add"),
    path(
        "people/<int:pk>/seats/<int:seat_id>/remove/",
        views_people.person_seat_remove,
        name="person_seat_remove",
    ),
]
