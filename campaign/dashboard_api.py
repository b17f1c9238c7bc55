"""``GET /api/dashboards/<unit code>/``: the dashboard of a subtree as JSON (totals, children, charts)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from campaign import dashboard as dashboards

_VALUES = serializers.DictField(child=serializers.FloatField(allow_null=True))

DashboardSerializer = inline_serializer(
    "Dashboard",
    {
        "campaign": serializers.IntegerField(),
        "unit": inline_serializer(
            "DashboardUnit",
            {
                "code": serializers.CharField(),
                "name": serializers.CharField(),
                "kind": serializers.CharField(),
            },
        ),
        "subtree": serializers.BooleanField(help_text="false: the caller sees the unit's own records only"),
        "columns": inline_serializer(
            "DashboardColumn",
            {
                "key": serializers.CharField(),
                "label": serializers.CharField(),
                "group": serializers.CharField(),
                "higher_is_better": serializers.BooleanField(allow_null=True),
                "ratio": serializers.BooleanField(help_text="a percentage, not a count"),
                "in_table": serializers.BooleanField(),
            },
            many=True,
        ),
        "totals": _VALUES,
        "own": _VALUES,
        "children": inline_serializer(
            "DashboardChild",
            {
                "code": serializers.CharField(),
                "name": serializers.CharField(),
                "kind": serializers.CharField(),
                "rank": serializers.IntegerField(allow_null=True),
                "values": _VALUES,
            },
            many=True,
        ),
        "charts": inline_serializer(
            "DashboardChart",
            {
                "key": serializers.CharField(),
                "title": serializers.CharField(),
                "kind": serializers.CharField(),
                "categories": serializers.ListField(child=serializers.CharField()),
                "series": serializers.ListField(child=serializers.DictField()),
                "percent": serializers.BooleanField(),
            },
            many=True,
        ),
    },
)


class DashboardViewSet(viewsets.ViewSet):
    """进度看板 of a unit's subtree, for any unit in the caller's scope (404 outside it)."""

    lookup_field = "code"
    lookup_value_regex = "[^/]+"

    @extend_schema(
        parameters=[
            OpenApiParameter("campaign", OpenApiTypes.INT, description="活动 id (default: the newest)"),
            OpenApiParameter(
                "sort", OpenApiTypes.STR, description="column key to rank the children by, or name"
            ),
            OpenApiParameter("dir", OpenApiTypes.STR, enum=["asc", "desc"]),
            OpenApiParameter("kind", OpenApiTypes.STR, description="only children of this unit kind"),
        ],
        responses=DashboardSerializer,
    )
    def retrieve(self, request: Request, code: str) -> Response:
        board = dashboards.dashboard_for(request.user, code, request.query_params)
        data: dict[str, Any] = dashboards.as_json(board)
        return Response(data)
