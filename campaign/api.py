"""The REST API base: router, error handling, and the campaign's own endpoints.

Each app's ``api.py`` lists its viewsets in ``routes``; they are collected here
so that adding a capability never means editing this file.
"""

from __future__ import annotations

from typing import Any

from rest_framework import mixins, serializers, viewsets
from rest_framework.routers import DefaultRouter

from campaign.apps import project_modules
from campaign.models import Campaign, Job
from campaign.selectors import campaigns_visible_to, jobs_of


class CampaignSerializer(serializers.ModelSerializer):
    root_unit_code = serializers.CharField(source="root_unit.code", read_only=True)

    class Meta:
        model = Campaign
        fields = ["id", "name", "batch", "root_unit_code", "start_date", "end_date", "min_unit_months"]


class CampaignViewSet(viewsets.ReadOnlyModelViewSet):
    """教育实践活动: those whose tree overlaps the caller's scope."""

    serializer_class = CampaignSerializer

    def get_queryset(self) -> Any:
        return campaigns_visible_to(self.request.user).order_by("-start_date")


class JobSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    percent = serializers.IntegerField(read_only=True)

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "kind_display",
            "status",
            "status_display",
            "input_name",
            "done",
            "total",
            "percent",
            "result",
            "error",
            "created_at",
            "finished_at",
        ]


class JobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Background jobs the caller started (imports now, exports later)."""

    serializer_class = JobSerializer

    def get_queryset(self) -> Any:
        return jobs_of(self.request.user)


def _collect_routes() -> DefaultRouter:
    router = DefaultRouter()
    router.register("campaigns", CampaignViewSet, basename="campaign")
    router.register("jobs", JobViewSet, basename="job")
    for module in project_modules("api", skip=("campaign",)):
        for prefix, viewset, basename in getattr(module, "routes", []):
            router.register(prefix, viewset, basename=basename)
    return router


router = _collect_routes()
