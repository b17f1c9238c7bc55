from importlib import import_module
from types import ModuleType

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignConfig(AppConfig):
    name = "campaign"
    verbose_name = _("教育实践活动")

    def ready(self) -> None:
        from campaign import checks  # noqa: F401  registers the system checks
        from campaign.gates import autodiscover

        # Each app's <app>/gates.py registers the evaluators of the gate conditions it owns.
        autodiscover()


def project_modules(name: str, *, skip: tuple[str, ...] = ()) -> list[ModuleType]:
    """``<app>.<name>`` of each of our apps that has one, in PROJECT_APPS order.

    This is how API routes and demo data are collected from the apps. A module
    that exists but fails to import raises, rather than being skipped.
    """
    from django.conf import settings

    found = []
    for app in settings.PROJECT_APPS:
        if app in skip:
            continue
        try:
            found.append(import_module(f"{app}.{name}"))
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.{name}":
                raise
    return found
