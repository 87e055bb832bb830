"""Gunicorn settings, all from the environment (`make serve`, `make bench` and production).

gunicorn reads this file when started from the repository root; `-c gunicorn.conf.py` says so
explicitly. Every instance is stateless: sessions, rate limits and login attempts live in
PostgreSQL (and the shared cache), so any number of instances can run behind a load balancer.
"""

import multiprocessing
import os


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


bind = (
    os.environ.get("GUNICORN_BIND")
    or f"{os.environ.get('HOST', '127.0.0.1')}:{env_int('PORT', 8000)}"
)
# Processes: WEB_CONCURRENCY as on most platforms; by default one per CPU, at least two.
workers = env_int("WEB_CONCURRENCY", max(2, multiprocessing.cpu_count()))
# Threads per process: requests mostly wait on PostgreSQL, so a few threads help.
worker_class = "gthread"
threads = env_int("GUNICORN_THREADS", 4)
timeout = env_int("GUNICORN_TIMEOUT", 30)
graceful_timeout = env_int("GUNICORN_GRACEFUL_TIMEOUT", 20)
keepalive = env_int("GUNICORN_KEEPALIVE", 5)
# Recycle workers now and then so that no slow leak can grow for ever.
max_requests = env_int("GUNICORN_MAX_REQUESTS", 5000)
max_requests_jitter = max_requests // 10
# Load Django once in the master: workers start in milliseconds and share memory.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") != "0"
# Only the load balancer may say a request came over HTTPS (X-Forwarded-Proto).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = "-" if os.environ.get("GUNICORN_ACCESS_LOG", "0") == "1" else None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
wsgi_app = "portal.wsgi:application"
# gunicorn ≥ 25 opens a control socket in $HOME; instances side by side would share its path.
control_socket_disable = True
