"""Local development and the demo: SQLite under ZHIFA_DATA_DIR, jobs in-process."""

from .base import *  # noqa: F403
from .base import env, env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
# A throwaway key for a developer machine only; prod.py refuses to start without a real one.
SECRET_KEY = env("DJANGO_SECRET_KEY") or "dev-only-not-secret-zhifa"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
