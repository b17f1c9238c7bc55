from functools import cache
from importlib import import_module
from types import ModuleType

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignConfig(AppConfig):
    name = "campaign"
    verbose_name = _("教育实践活动")

    def ready(self) -> None:
        from campaign import checks, display  # noqa: F401  checks registers the system checks
        from campaign.gates import autodiscover

        # Each app's <app>/gates.py registers the evaluators of the gate conditions it owns.
        autodiscover()
        display.install()


def project_modules(name: str, *, skip: tuple[str, ...] = ()) -> list[ModuleType]:
    """``<app>.<name>`` of each of our apps that has one, in PROJECT_APPS order.

    This is how API routes and demo data are collected from the apps. A module
    that exists but fails to import raises, rather than being skipped. Looked up once per
    (apps, name): the unit page asks on every request, and a module that does not exist is
    otherwise searched for on disk each time.
    """
    from django.conf import settings

    return list(_project_modules(tuple(settings.PROJECT_APPS), name, skip))


@cache
def _project_modules(apps: tuple[str, ...], name: str, skip: tuple[str, ...]) -> tuple[ModuleType, ...]:
    found = []
    for app in apps:
        if app in skip:
            continue
        try:
            found.append(import_module(f"{app}.{name}"))
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.{name}":
                raise
    return tuple(found)
