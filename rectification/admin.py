"""Admin for rectification records: read and search, scoped; writes go through the pages and services."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from campaign.admin import ServiceAdmin
from rectification.models import (
    ItemEvent,
    PointedProblem,
    RectificationItem,
    RectificationPlan,
    Rule,
    SpecialProject,
    SpecialProjectPlan,
)


class ReadOnlyServiceAdmin(ServiceAdmin):
    """Listed and searchable in the admin, changed only through the pages (state machines)."""

    scope_path_field = "unit_path"
    scope_unit_field = "unit_id"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(RectificationPlan)
class PlanAdmin(ReadOnlyServiceAdmin):
    list_display = ["title", "unit", "kind", "status", "published"]
    list_filter = ["kind", "status", "published"]
    search_fields = ["title", "unit__name"]
    raw_id_fields = ["unit", "person", "review"]  # the review's chain and steps: 审核 (materials)


@admin.register(RectificationItem)
class ItemAdmin(ReadOnlyServiceAdmin):
    list_display = ["pk", "unit", "kind", "handling", "deadline", "status", "is_public", "needs_upper_help"]
    list_filter = ["status", "handling", "kind", "is_public", "needs_upper_help"]
    search_fields = ["problem", "measure", "unit__name"]
    raw_id_fields = ["unit", "plan", "person", "responsible_leader", "claimed_by", "close_requested_by"]


@admin.register(ItemEvent)
class ItemEventAdmin(admin.ModelAdmin):
    list_display = ["item", "action", "from_status", "to_status", "actor", "on_date", "at"]
    list_filter = ["action"]

    def get_queryset(self, request: HttpRequest) -> Any:
        from rectification.selectors import items_visible_to

        return super().get_queryset(request).filter(item__in=items_visible_to(request.user))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PointedProblem)
class PointedProblemAdmin(ReadOnlyServiceAdmin):
    list_display = ["unit", "pointed_by_name", "pointed_on"]
    search_fields = ["text", "unit__name"]


@admin.register(SpecialProject)
class SpecialProjectAdmin(ReadOnlyServiceAdmin):
    list_display = ["number", "title", "unit", "origin"]
    search_fields = ["title"]


@admin.register(SpecialProjectPlan)
class SpecialProjectPlanAdmin(ReadOnlyServiceAdmin):
    list_display = ["project", "unit", "status", "acceptance", "deadline"]
    list_filter = ["status", "acceptance"]


@admin.register(Rule)
class RuleAdmin(ReadOnlyServiceAdmin):
    list_display = ["title", "unit", "judgement", "status", "deadline", "doc_number"]
    list_filter = ["judgement", "status"]
    search_fields = ["title", "doc_number"]
