"""Configuration sanity, reported by `manage.py check` (and so at every start)."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register


@register(Tags.compatibility)
def check_timezone_and_language(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    if settings.TIME_ZONE != "Asia/Shanghai" or not settings.USE_TZ:
        errors.append(
            Error(
                "Deadlines are computed in Asia/Shanghai with aware datetimes.",
                hint="Keep TIME_ZONE = 'Asia/Shanghai' and USE_TZ = True.",
                id="campaign.E001",
            )
        )
    if settings.LANGUAGE_CODE != "zh-hans":
        errors.append(Warning("The UI is meant to default to Simplified Chinese.", id="campaign.W001"))
    return errors


@register(Tags.security, deploy=True)
def check_private_files(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    static_root = str(settings.STATIC_ROOT)
    if str(settings.PRIVATE_MEDIA_ROOT).startswith(static_root):
        errors.append(
            Error(
                "PRIVATE_MEDIA_ROOT must not lie inside STATIC_ROOT: "
                "uploads would be served without a check.",
                id="campaign.E002",
            )
        )
    if getattr(settings, "MEDIA_URL", "") not in ("", "/"):
        errors.append(
            Warning(
                "MEDIA_URL is set; uploaded files are meant to be served only through access-checked views.",
                id="campaign.W002",
            )
        )
    if settings.CELERY_TASK_ALWAYS_EAGER:
        errors.append(
            Warning("CELERY_TASK_ALWAYS_EAGER runs background jobs inside web requests.", id="campaign.W003")
        )
    return errors
