import atexit

from django.apps import AppConfig
from django.core.signals import request_finished
from django.db.backends.signals import connection_created


class CoreConfig(AppConfig):
    name = "core"

    def ready(self) -> None:
        # Every model's history table and the auth signal receivers: one place (core.audit).
        from core import audit, page_cache

        audit.register_models()
        # Every write on every connection moves the kept pages' counter (core.page_cache).
        connection_created.connect(page_cache.install, dispatch_uid="core.page_cache")
        request_finished.connect(page_cache.flush_pending, dispatch_uid="core.page_cache")
        atexit.register(page_cache.flush_pending)
