"""REST endpoints of 雷同检测: a material's latest report (as the caller may see it), the
reference corpus (offices)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from campaign.api_scope import ScopeFirstMixin
from materials.copycheck import selectors, services
from materials.models import Material, ReferenceText
from materials.selectors import latest_version, material_get_visible
from units.access import require, scope_for


class SourceSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    detail = serializers.CharField()
    url = serializers.CharField()
    hidden = serializers.BooleanField(help_text="来源材料对调用者不可见：只显示“其他单位的材料”")


class PassageSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    excerpt = serializers.CharField()
    chars = serializers.IntegerField()
    source = SourceSerializer()  # type: ignore[assignment]
    also = SourceSerializer(many=True)
    also_hidden = serializers.IntegerField()
    ranges = serializers.SerializerMethodField(help_text="[section, start, end]: 在各部分正文中的位置")

    def get_ranges(self, passage: Any) -> list[list[int]]:
        return self.context["ranges"][passage.number - 1]


class CopyReportSerializer(serializers.Serializer):
    material = serializers.IntegerField(source="report.material_id")
    version = serializers.IntegerField(source="report.number")
    status = serializers.CharField()
    share = serializers.FloatField(source="report.share", allow_null=True)
    checked_at = serializers.DateTimeField(source="report.checked_at", allow_null=True)
    passages = PassageSerializer(many=True)


class CopyReportViewSet(viewsets.GenericViewSet):
    """雷同检测: the report of a material's latest version, by material id (reviewers, offices,
    督导组; sources the caller may not see are "其他单位的材料")."""

    serializer_class = CopyReportSerializer
    queryset = Material.objects.none()  # the path's id is a material id
    lookup_value_regex = "[0-9]+"

    @extend_schema(responses=CopyReportSerializer)
    def retrieve(self, request: Request, pk: str) -> Response:
        try:
            material = material_get_visible(request.user, int(pk))
        except Exception as exc:
            raise NotFound from exc
        view = selectors.copy_view(request.user, material, latest_version(material))
        if view is None:
            raise NotFound
        ranges = [p["ranges"] for p in view.report.passages] if view.status == "done" else []
        return Response(CopyReportSerializer(view, context={"ranges": ranges}).data)


class ReferenceTextSerializer(serializers.ModelSerializer):
    owner_unit = serializers.CharField(source="owner_unit.code", read_only=True, allow_null=True)
    text = serializers.CharField(write_only=True, required=False, allow_blank=True)
    file = serializers.FileField(write_only=True, required=False)

    class Meta:
        model = ReferenceText
        fields = [
            "id",
            "title",
            "source_note",
            "text",
            "file",
            "file_name",
            "owner_unit",
            "status",
            "uploaded_at",
            "withdrawn_at",
            "withdraw_reason",
            "version",
        ]
        read_only_fields = [
            "file_name",
            "status",
            "uploaded_at",
            "withdrawn_at",
            "withdraw_reason",
            "version",
        ]


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)
    version = serializers.IntegerField()


class ReferenceTextViewSet(
    ScopeFirstMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """比对文本库 (offices): public texts every submitted material is compared with."""

    serializer_class = ReferenceTextSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    filterset_fields = ["status"]

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return ReferenceText.objects.none()
        require(scope_for(self.request.user).is_office_staff, "只有活动办可以查看比对文本库。")
        return selectors.references_visible_to(self.request.user).order_by("-uploaded_at", "-pk")

    def create(self, request: Request) -> Response:
        serializer = ReferenceTextSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        reference = services.reference_text_upload(
            actor=request.user,
            title=data["title"],
            source_note=data["source_note"],
            upload=data.get("file"),
            text=data.get("text") or "",
        )
        return Response(ReferenceTextSerializer(reference).data, status=201)

    @extend_schema(request=WithdrawSerializer, responses=ReferenceTextSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        reference = self.get_object()
        # Another office reads the shared corpus but may not withdraw: refused before the body is read.
        require(
            services.can_manage_reference(request.user, reference),
            _("只有上传单位的活动办可以撤回这份比对文本。"),
        )
        data = WithdrawSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        reference = services.reference_text_withdraw(
            actor=request.user,
            reference=reference,
            reason=data.validated_data["reason"],
            version=data.validated_data["version"],
        )
        return Response(ReferenceTextSerializer(reference).data)


routes = [
    ("copy-reports", CopyReportViewSet, "copy-report"),
    ("reference-texts", ReferenceTextViewSet, "reference-text"),
]
