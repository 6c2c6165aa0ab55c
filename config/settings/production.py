"""Production overrides: HTTPS only, secure cookies, HSTS. Select with DJANGO_SETTINGS_MODULE."""

from .base import *  # noqa: F403
from .base import env, env_bool

DEBUG = False
SECURE_SSL_REDIRECT = env_bool("SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(env("HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
