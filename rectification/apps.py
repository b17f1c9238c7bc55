from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RectificationConfig(AppConfig):
    name = "rectification"
    verbose_name = _("整改落实、建章立制")

    def ready(self) -> None:
        # 整改方案 are reviewed by the review-chain engine of materials (chains: review_chains.py).
        from django.db.models.signals import post_delete, post_save

        from materials.choices import SubjectKind
        from materials.review import register_subject
        from rectification.models import RectificationItem
        from rectification.services import PlanReviewHandler
        from rectification.tallies import on_item_saved

        register_subject(SubjectKind.RECTIFICATION_PLAN, PlanReviewHandler())
        # Signals rather than calls in the services: every save of an item, whoever makes it,
        # must flag its unit's tally.
        post_save.connect(on_item_saved, sender=RectificationItem, dispatch_uid="item-tally-save")
        post_delete.connect(on_item_saved, sender=RectificationItem, dispatch_uid="item-tally-delete")
