"""Optional error reporting to Sentry or a Sentry-compatible service (GlitchTip, self-hosted Sentry).

Off unless SENTRY_DSN is set. No personal data is sent (send_default_pii off) and no performance tracing
unless SENTRY_TRACES_SAMPLE_RATE says so. Calendar tokens are hidden in every event (config/redact.py).
"""


def init_sentry(env) -> bool:
    dsn = env("SENTRY_DSN", default="")
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    from config.redact import sentry_before_send

    sentry_sdk.init(
        dsn=dsn,
        environment=env("SENTRY_ENVIRONMENT", default="production"),
        release=env("SENTRY_RELEASE", default=None),
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
        before_send=sentry_before_send,  # calendar tokens hidden in URLs, messages and breadcrumbs
        before_send_transaction=sentry_before_send,
    )
    return True
