"""Configuration defaults per environment.

Order of precedence (lowest first): these defaults, ``instance/config.py`` if present, then every
``FORUM_*`` environment variable (``FORUM_SECRET_KEY`` sets ``SECRET_KEY``; values are parsed as
JSON when they can be), then the ``test_config`` mapping given to ``create_app``.
"""

from __future__ import annotations

from datetime import timedelta

DEV_SECRET_KEY = "dev-only-insecure-secret-key"


class Config:
    ENV_NAME = "development"
    SECRET_KEY = DEV_SECRET_KEY
    # None means "SQLite file under instance/"; create_app fills in the absolute path.
    SQLALCHEMY_DATABASE_URI: str | None = None
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    SITE_NAME = "Core Leadership and Management Section"
    # The logo in the header: a PNG, JPEG, GIF or WebP file (a path, or a name in the instance
    # folder), read at start-up (forum.home.logo). None: the site's initials in a mark.
    SITE_LOGO: str | None = None
    SITE_URL = "http://127.0.0.1:5000"

    # Request limits: the whole body, and the in-memory part of a form (non-file fields).
    MAX_CONTENT_LENGTH = 256 * 1024 * 1024
    MAX_FORM_MEMORY_SIZE = 2 * 1024 * 1024
    MAX_FORM_PARTS = 1000

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = False
    REMEMBER_COOKIE_DURATION = timedelta(days=30)
    PERMANENT_SESSION_LIFETIME = timedelta(days=14)

    # A token copied out of a page stops working after 4 hours; a form sent later comes back
    # filled in with a fresh token (forum/csrf.py), so a long post is never lost.
    WTF_CSRF_TIME_LIMIT = 4 * 3600

    # Behind reverse proxies: how many of them, in front of the app, set each X-Forwarded-*
    # header (werkzeug's ProxyFix: X-Forwarded-For, -Proto, -Host, -Port, -Prefix). 0 ignores
    # the header: without a proxy that sets it, a client could write anything there. With
    # X_FOR right, rate limits, sessions and the audit log see the client's real address.
    PROXY_FIX_X_FOR = 0
    PROXY_FIX_X_PROTO = 0
    PROXY_FIX_X_HOST = 0
    PROXY_FIX_X_PORT = 0
    PROXY_FIX_X_PREFIX = 0

    # Throttles' counts (forum/ratelimit.py): None keeps them in the database (table
    # throttle_counters), shared by every worker; or Redis, e.g. "redis://127.0.0.1:6379/0".
    RATELIMIT_STORAGE_URI: str | None = None
    RATELIMIT_KEY_PREFIX = "forum-throttle"  # Redis keys: "<prefix>:<scope>:<key>:<window>"
    RATELIMIT_ENABLED = True
    LOGIN_LIMIT_PER_ACCOUNT = "10 per 15 minutes"
    LOGIN_LIMIT_PER_ADDRESS = "30 per 15 minutes"
    # Forms that send mail (register, forgot password, resend verification, change e-mail).
    ACCOUNT_MAIL_LIMIT = "10 per hour"
    SEARCH_LIMIT_PER_ADDRESS = "30 per minute"  # visitors' searches; members' are not counted
    SEARCH_EXTRACT_MAX_BYTES = 20 * 1024 * 1024  # files larger are searched by name, not words
    SEARCH_EXTRACT_MAX_CHARS = 100_000  # of a file's words kept for search
    # Digests go out at this hour in each member's own zone (weekly ones on this weekday,
    # 0 = Monday); the delivery worker looks for due digests every DIGEST_CHECK_SECONDS.
    DIGEST_HOUR = 7
    DIGEST_WEEKDAY = 0
    DIGEST_CHECK_SECONDS = 300
    # The delivery worker asks for the daily files purge this often (one worker a day runs it).
    PURGE_CHECK_SECONDS = 3600

    # Mail: with MAIL_SERVER unset, mail is written to instance/outbox/ as .eml files.
    MAIL_SERVER: str | None = None
    MAIL_PORT = 25
    MAIL_USE_STARTTLS = False
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_DEFAULT_SENDER = "Forum <no-reply@forum.localhost>"
    MAIL_MAX_ATTEMPTS = 8
    # Each delivery round claims up to MAIL_BATCH_SIZE due mails; a claim older than
    # MAIL_CLAIM_TIMEOUT_SECONDS belongs to a worker that died, and another worker takes the
    # mail over. The timeout must be well above the time one batch takes to send, or a slow
    # but living worker's mails are sent twice.
    MAIL_BATCH_SIZE = 100
    MAIL_CLAIM_TIMEOUT_SECONDS = 600
    # Mail in (forum/inbound, docs/email.md): the domain of the reply and group addresses
    # (None: MAIL_DEFAULT_SENDER's domain), the reply addresses' local part before the "+",
    # and the largest message accepted (LMTP answers 552 beyond it).
    MAIL_REPLY_DOMAIN: str | None = None
    MAIL_REPLY_LOCAL_PART = "reply"
    MAIL_INBOUND_MAX_BYTES = 25 * 1024 * 1024
    MAIL_INBOUND_REFUSALS_PER_HOUR = 5  # "not posted" mails to one address (backscatter)
    MAIL_PRIVATE_ANSWERS_PER_HOUR = 20  # private answers by mail a member may send an hour
    # Bounces: each mail goes out with its own envelope sender, <MAIL_BOUNCE_LOCAL_PART>+<id>.
    # <signature>@<the reply domain>, so a delivery report names the mail (and the member) it
    # is about. MAIL_BOUNCE_THRESHOLD permanent failures within MAIL_BOUNCE_WINDOW_DAYS pause
    # the member's group mail. False for MAIL_BOUNCE_TRACKING: the relay's own envelope sender.
    MAIL_BOUNCE_TRACKING = True
    MAIL_BOUNCE_LOCAL_PART = "bounce"
    MAIL_BOUNCE_THRESHOLD = 3
    MAIL_BOUNCE_WINDOW_DAYS = 30

    EMAIL_TOKEN_MAX_AGE = 2 * 24 * 3600  # verification links: two days
    RESET_TOKEN_MAX_AGE = 3600  # password reset links: one hour

    # Files (see forum/files and forum/storage.py).
    STORAGE_DIR: str | None = None  # default: instance/blobs
    # Where blobs live: "local" (files under STORAGE_DIR, a volume every instance shares) or
    # "s3" (an S3-compatible bucket, forum/storage_s3.py; STORAGE_DIR then only holds uploads
    # being received). Unset S3 credentials fall back to boto3's own (AWS_* variables, roles).
    STORAGE_BACKEND = "local"
    S3_BUCKET: str | None = None
    S3_ENDPOINT_URL: str | None = None  # e.g. "http://minio:9000"; unset: AWS
    S3_REGION: str | None = None
    S3_ACCESS_KEY_ID: str | None = None
    S3_SECRET_ACCESS_KEY: str | None = None
    S3_PREFIX = ""  # keys are "<prefix>ab/cd/<sha256>"
    S3_ADDRESSING_STYLE = "path"  # MinIO and most S3-compatible stores; "virtual" for AWS
    FILE_MAX_SIZE = 200 * 1024 * 1024
    GROUP_QUOTA_BYTES = 2 * 1024 * 1024 * 1024
    FILE_RETENTION_DAYS = 30
    # What one member may upload per hour (library, new versions and attachments together).
    FILE_UPLOADS_PER_HOUR = 60
    FILE_UPLOAD_BYTES_PER_HOUR = 1024 * 1024 * 1024

    # The association's year starts on this day (month, day): the default term of an appointment.
    ASSOCIATION_YEAR_START = "07-01"

    # Moderation (see docs/moderation.md): accounts younger than NEW_ACCOUNT_DAYS get the
    # tighter posting limits; enough flags from distinct members hide a post until reviewed.
    MODERATION_NEW_ACCOUNT_DAYS = 7
    MODERATION_POSTS_PER_HOUR = 30
    MODERATION_NEW_ACCOUNT_POSTS_PER_HOUR = 5
    MODERATION_NEW_ACCOUNT_MAX_LINKS = 2
    MODERATION_MAX_LINKS = 20
    MODERATION_FLAGS_PER_HOUR = 10
    MODERATION_AUTO_HIDE_FLAGS = 3

    # Caching (forum/pagecache): visitors' pages are kept in a shared page cache and every
    # reading page gets an ETag / Last-Modified (304 when unchanged). REDIS_URL (e.g.
    # "redis://127.0.0.1:6379/1", env FORUM_REDIS_URL) keeps pages and generation numbers in
    # Redis, shared by every worker; unset, they live in this process — right for one process,
    # while several workers without Redis may serve another worker's stale page for up to
    # PAGE_CACHE_SECONDS. Writes invalidate at once through generation numbers; the seconds
    # are a ceiling, and 0 turns the page cache off (ETags stay unless PAGE_ETAGS is False).
    REDIS_URL: str | None = None
    PAGE_CACHE_SECONDS = 60
    PAGE_CACHE_KEY_PREFIX = "forum-page"
    PAGE_CACHE_MAX_ENTRIES = 1000  # in-process store only; Redis evicts by its own policy
    PAGE_ETAGS = True
    # Cookie-less visitors' cached pages answered before Flask (forum/pagecache/front.py).
    PAGE_CACHE_FRONT = True
    # Rendered fragments (a post as one reader sees it), in each process only, under keys made
    # of their content (forum/pagecache/fragments.py): never stale, only aged or pushed out.
    FRAGMENT_CACHE_SECONDS = 3600
    FRAGMENT_CACHE_MAX_ENTRIES = 5000
    # A member's own pages, in each process only, keyed by what their ETag is made of (their
    # id, their session's CSRF secret, the generations of what the page shows): a repeated
    # view of an unchanged page is answered from the copy instead of rendered again. The
    # seconds bound how old the page's CSRF token can be (WTF_CSRF_TIME_LIMIT is 4 hours);
    # 0 turns it off.
    MEMBER_PAGE_CACHE_SECONDS = 600
    MEMBER_PAGE_CACHE_MAX_ENTRIES = 500

    # Count SQL statements per request and expose them in the X-Query-Count header (bench mode).
    QUERY_COUNT_HEADER = False

    # Operations (forum/ops, docs/deploy.md). LOG_FORMAT "json": every log line of the "forum"
    # loggers is one JSON object, and each request gets one line on "forum.requests" (request
    # id, method, route, status, duration_ms, user_id); "text" leaves logging as Flask sets it.
    LOG_FORMAT = "text"
    # /metrics (Prometheus) answers only "Authorization: Bearer <METRICS_TOKEN>"; unset: 404.
    METRICS_TOKEN: str | None = None
    # /readyz and the production start-up checks: how long Redis may take to answer PING.
    READY_TIMEOUT_SECONDS = 2.0


class DevelopmentConfig(Config):
    pass


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    WTF_CSRF_ENABLED = True
    RATELIMIT_ENABLED = False
    DIGEST_CHECK_SECONDS = 0  # every `flask deliver` run looks for due digests
    PURGE_CHECK_SECONDS = 0  # … and asks for the daily purge
    SERVER_NAME = None
    # The page cache stays on (in-process) in tests: a stale page after a write is a bug.
    PAGE_CACHE_SECONDS = 60


class ProductionConfig(Config):
    ENV_NAME = "production"
    SECRET_KEY = None  # must be provided: create_app refuses to start without one
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    # The __Host- prefix: browsers accept these cookies only if Secure, for Path=/ and without
    # a Domain, so neither a sibling subdomain nor a plain-HTTP page can set or overwrite them
    # (no session fixation from elsewhere). create_app refuses settings that break the rule.
    SESSION_COOKIE_NAME = "__Host-session"
    SESSION_COOKIE_PATH = "/"
    SESSION_COOKIE_DOMAIN = None
    REMEMBER_COOKIE_NAME = "__Host-remember_token"
    REMEMBER_COOKIE_PATH = "/"
    REMEMBER_COOKIE_DOMAIN = None
    PREFERRED_URL_SCHEME = "https"
    LOG_FORMAT = "json"


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
