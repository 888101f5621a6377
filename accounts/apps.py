from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self) -> None:
        from accounts import first_login  # models are ready only now

        user_logged_in.connect(first_login.on_login, dispatch_uid="accounts.first_login")
