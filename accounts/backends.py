"""The login lockout (django-axes) as the first authentication backend (settings.py)."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend


class LoginLockoutBackend(AxesStandaloneBackend):
    """Refuses a locked account before the password is checked; checks nothing itself.

    Axes needs the request to know the address. An authentication without one comes from code,
    not from a login form (Django's test client `login()`, a shell): there is no address to
    count failures against, so it is left to the next backend instead of raising."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
