from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MaterialsConfig(AppConfig):
    name = "materials"
    verbose_name = _("对照检查材料")

    def ready(self) -> None:
        from materials import services  # noqa: F401  registers the material handler with the engine
