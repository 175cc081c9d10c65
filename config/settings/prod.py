"""Production: PostgreSQL, object storage, workers behind a reverse proxy. Fails closed."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env, env_bool

if not SECRET_KEY:  # noqa: F405
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production")
DEBUG = False
ZHIFA_MFA_FOR_ALL = env_bool("ZHIFA_MFA_FOR_ALL", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env_bool("ZHIFA_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = [o for o in env("ZHIFA_CSRF_TRUSTED_ORIGINS").split(",") if o]

if env("ZHIFA_S3_BUCKET"):
    STORAGES["evidence"] = {  # noqa: F405
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("ZHIFA_S3_BUCKET"),
            "endpoint_url": env("ZHIFA_S3_ENDPOINT") or None,
            "access_key": env("ZHIFA_S3_ACCESS_KEY"),
            "secret_key": env("ZHIFA_S3_SECRET_KEY"),
            "region_name": env("ZHIFA_S3_REGION") or None,
            "addressing_style": env("ZHIFA_S3_ADDRESSING_STYLE") or None,  # "path" for MinIO/Ceph
            "file_overwrite": False,  # a name that exists is never overwritten (records, core.files)
            "max_memory_size": 8 * 1024 * 1024,  # storage.open spools larger objects to disk
        },
    }
    # Chunked uploads are spooled on local disk, then streamed to S3 on completion (records).
    ZHIFA_UPLOAD_DIR = env("ZHIFA_UPLOAD_DIR") or str(DATA_DIR / "uploads")  # noqa: F405
