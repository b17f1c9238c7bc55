from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MaterialsConfig(AppConfig):
    name = "materials"
    verbose_name = _("对照检查材料")

    def ready(self) -> None:
        # Register the subject handlers with the review engine: materials, meeting plans, 拟批评意见.
        from materials import meeting_services, services, talk_services  # noqa: F401
        from stages.services import SURVEY_CLOSE_HOOKS

        # A 通报会 evaluated on the survey engine takes its 群众评议 result when the survey closes.
        if meeting_services.briefing_take_survey_result not in SURVEY_CLOSE_HOOKS:
            SURVEY_CLOSE_HOOKS.append(meeting_services.briefing_take_survey_result)
