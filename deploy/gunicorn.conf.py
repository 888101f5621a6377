"""gunicorn settings for Trường Chuẩn (`gunicorn -c deploy/gunicorn.conf.py`). Everything that
differs between servers comes from the environment, like the Django settings."""

import multiprocessing
import os

wsgi_app = "truongchuan.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# WEB_CONCURRENCY is the usual name (Heroku, Render, Dokku…); default 2 × cores + 1.
workers = int(os.environ.get("WEB_CONCURRENCY", str(multiprocessing.cpu_count() * 2 + 1)))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# .docx/.xlsx downloads are built in the request (large statistics tables): allow two minutes.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
# SIGTERM: a worker finishes its request within this many seconds before it is killed.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
# Recycle workers now and then: a slow memory leak never takes the server down.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
# Only the reverse proxy on this machine may set X-Forwarded-* (see BEHIND_PROXY in settings).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Heartbeat files in memory, not on a slow or full disk.
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"
proc_name = "truongchuan-web"
# systemd manages the process (reload = HUP); no control socket in the user's home, which two
# instances on one machine would share.
control_socket_disable = True
