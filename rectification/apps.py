from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RectificationConfig(AppConfig):
    name = "rectification"
    verbose_name = _("整改落实、建章立制")

    def ready(self) -> None:
        # 整改方案 are reviewed by the review-chain engine of materials (chains: review_chains.py).
        from materials.choices import SubjectKind
        from materials.review import register_subject
        from rectification.services import PlanReviewHandler

        register_subject(SubjectKind.RECTIFICATION_PLAN, PlanReviewHandler())
