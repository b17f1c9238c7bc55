"""REST endpoints for units, people, posts and organisations.

Querysets come from the selectors (the user's scope), writes go through the
services; a record outside the scope is a 404, a refused write a 403 or 400.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from units import selectors, services
from units.access import scope_for
from units.choices import UnitKind
from units.models import ContactPoint, Organization, OrgMembership, Person, Post, SupervisionAssignment, Unit


@extend_schema_field(OpenApiTypes.STR)
class UnitCodeField(serializers.SlugRelatedField):
    """A unit given by its code; only units the caller can see resolve."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(slug_field="code", **kwargs)

    def get_queryset(self) -> Any:
        return selectors.units_visible_to(self.context["request"].user)


# --- units -----------------------------------------------------------------


class UnitSerializer(serializers.ModelSerializer):
    parent_code = serializers.CharField(read_only=True, allow_null=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    level_display = serializers.CharField(source="get_level_display", read_only=True)

    class Meta:
        model = Unit
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "kind_display",
            "level",
            "level_display",
            "category",
            "parent_code",
            "depth",
            "is_active",
            "version",
        ]
        read_only_fields = ["id", "level", "category", "depth", "version"]


class UnitCreateSerializer(serializers.Serializer):
    parent = UnitCodeField(help_text=_("上级单位编码"))  # type: ignore[assignment]
    code = serializers.CharField(max_length=32)
    name = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(choices=UnitKind.choices)


class UnitUpdateSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=32)
    name = serializers.CharField(max_length=100)
    is_active = serializers.BooleanField(default=True)
    version = serializers.IntegerField(help_text=_("读取时的版本号，防止覆盖他人的修改"))


class UnitFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("名称或编码"))
    parent = django_filters.CharFilter(method="children_of", label=_("上级单位编码：列出其直接下级"))
    under = django_filters.CharFilter(method="subtree_of", label=_("单位编码：列出其所有下级"))

    class Meta:
        model = Unit
        fields = ["kind", "level", "category", "is_active"]

    def search(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.filter(Q(name__icontains=value) | Q(code__istartswith=value))

    def children_of(self, queryset: Any, name: str, value: str) -> Any:
        parent = Unit.objects.filter(code=value).first()
        if parent is None:
            return queryset.none()
        return queryset.filter(path__startswith=parent.path, depth=parent.depth + 1)

    def subtree_of(self, queryset: Any, name: str, value: str) -> Any:
        root = Unit.objects.filter(code=value).first()
        if root is None:
            return queryset.none()
        return queryset.filter(path__startswith=root.path).exclude(pk=root.pk)


class UnitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """单位: the tree as far as the caller's scope reaches. Units are never deleted."""

    serializer_class = UnitSerializer
    filterset_class = UnitFilter
    lookup_field = "code"
    lookup_value_regex = "[^/]+"

    def get_queryset(self) -> Any:
        return selectors.with_parent_code(selectors.units_visible_to(self.request.user)).order_by("path")

    @extend_schema(request=UnitCreateSerializer, responses=UnitSerializer)
    def create(self, request: Request) -> Response:
        data = self._valid(UnitCreateSerializer, request.data)
        unit = services.unit_create(
            actor=request.user, parent=data["parent"], code=data["code"], name=data["name"], kind=data["kind"]
        )
        return Response(self._read(unit), status=201)

    @extend_schema(request=UnitUpdateSerializer, responses=UnitSerializer)
    def update(self, request: Request, code: str) -> Response:
        unit = self.get_object()
        data = self._valid(UnitUpdateSerializer, request.data)
        unit = services.unit_update(actor=request.user, unit=unit, **data)
        return Response(self._read(unit))

    def _valid(self, serializer_class: Any, data: Any) -> dict[str, Any]:
        serializer = serializer_class(data=data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _read(self, unit: Unit) -> dict[str, Any]:
        return UnitSerializer(self.get_queryset().get(pk=unit.pk)).data


# --- people and posts --------------------------------------------------------


class PersonSerializer(serializers.ModelSerializer):
    rank_display = serializers.CharField(source="get_rank_display", read_only=True)
    version = serializers.IntegerField(required=False, help_text=_("修改时必填：读取时的版本号"))

    class Meta:
        model = Person
        fields = ["id", "code", "name", "rank", "rank_display", "phone", "version"]
        read_only_fields = ["id"]


class PersonViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """人员: people holding posts or seats inside the caller's scope."""

    serializer_class = PersonSerializer
    filterset_fields = ["rank", "code"]
    http_method_names = ["get", "post", "put", "head", "options"]

    def get_queryset(self) -> Any:
        return selectors.people_visible_to(self.request.user).order_by("name", "code")

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        data.pop("version", None)
        serializer.instance = services.person_create(actor=self.request.user, **data)

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        data = serializer.validated_data
        person = self.get_object()
        serializer.instance = services.person_update(
            actor=self.request.user,
            person=person,
            version=data.get("version"),
            name=data["name"],
            code=data["code"],
            rank=data.get("rank", person.rank),
            phone=data.get("phone", ""),
        )


class PostSerializer(serializers.ModelSerializer):
    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all())
    person_name = serializers.CharField(source="person.name", read_only=True)
    unit = UnitCodeField()
    role_display = serializers.CharField(source="get_role_display", read_only=True)
    oversees = UnitCodeField(many=True, required=False)

    class Meta:
        model = Post
        fields = [
            "id",
            "person",
            "person_name",
            "unit",
            "title",
            "role",
            "role_display",
            "sort_order",
            "start_date",
            "end_date",
            "oversees",
            "version",
        ]
        read_only_fields = ["id", "version"]


class PostEndSerializer(serializers.Serializer):
    end_date = serializers.DateField()
    version = serializers.IntegerField(required=False)


class PostFilter(django_filters.FilterSet):
    unit = django_filters.CharFilter(field_name="unit__code", label=_("单位编码"))
    person = django_filters.NumberFilter(field_name="person_id")
    active = django_filters.BooleanFilter(method="only_active", label=_("只列在任"))

    class Meta:
        model = Post
        fields = ["role"]

    def only_active(self, queryset: Any, name: str, value: bool) -> Any:
        return queryset.active() if value else queryset


class PostViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """职务: posts in units inside the caller's scope; ended with the `end` action, never deleted."""

    serializer_class = PostSerializer
    filterset_class = PostFilter

    def get_queryset(self) -> Any:
        return (
            selectors.posts_visible_to(self.request.user)
            .select_related("person", "unit")
            .prefetch_related("oversees")
            .order_by("unit__path", "sort_order", "pk")
        )

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = serializer.validated_data
        serializer.instance = services.post_create(
            actor=self.request.user,
            person=data["person"],
            unit=data["unit"],
            title=data["title"],
            role=data.get("role", "member"),
            start_date=data["start_date"],
            end_date=data.get("end_date"),
            sort_order=data.get("sort_order", 100),
            oversees=data.get("oversees", []),
        )

    @extend_schema(request=PostEndSerializer, responses=PostSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk: str) -> Response:
        """免职: record the post's last day."""
        post = self.get_object()
        serializer = PostEndSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        post = services.post_end(actor=request.user, post=post, **serializer.validated_data)
        return Response(PostSerializer(self.get_queryset().get(pk=post.pk)).data)


# --- organisations ---------------------------------------------------------


class VisibleOrganizationField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self) -> Any:
        return selectors.organizations_visible_to(self.context["request"].user)


class MembershipSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)
    organization = VisibleOrganizationField()
    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all())

    class Meta:
        model = OrgMembership
        fields = ["id", "organization", "person", "person_name", "role", "start_date", "end_date"]
        read_only_fields = ["id"]


class AssignmentSerializer(serializers.ModelSerializer):
    unit = UnitCodeField()
    group = VisibleOrganizationField()

    class Meta:
        model = SupervisionAssignment
        fields = ["id", "group", "unit", "start_date", "end_date"]
        read_only_fields = ["id", "end_date"]


class OrganizationSerializer(serializers.ModelSerializer):
    unit = UnitCodeField()
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Organization
        fields = ["id", "campaign", "unit", "kind", "kind_display", "name"]
        read_only_fields = ["id"]


class OrganizationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """领导小组、活动办、督导组、联络组 set up in, or sent to, the caller's scope."""

    serializer_class = OrganizationSerializer
    filterset_fields = ["kind", "campaign"]

    def get_queryset(self) -> Any:
        return (
            selectors.organizations_visible_to(self.request.user)
            .select_related("unit")
            .order_by("unit__path", "kind")
        )

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        serializer.instance = services.organization_create(
            actor=self.request.user, **serializer.validated_data
        )


class MembershipViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Seats in the organisations the caller can see."""

    serializer_class = MembershipSerializer
    filterset_fields = ["organization", "person", "role"]

    def get_queryset(self) -> Any:
        orgs = selectors.organizations_visible_to(self.request.user)
        return OrgMembership.objects.filter(organization__in=orgs).select_related("person").order_by("pk")

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        serializer.instance = services.membership_add(actor=self.request.user, **serializer.validated_data)


class AssignmentViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """督导分工: which 督导组 supervises which unit."""

    serializer_class = AssignmentSerializer
    filterset_fields = ["group"]

    def get_queryset(self) -> Any:
        orgs = selectors.organizations_visible_to(self.request.user)
        return SupervisionAssignment.objects.filter(group__in=orgs).select_related("unit").order_by("pk")

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = serializer.validated_data
        serializer.instance = services.supervision_assign(
            actor=self.request.user, group=data["group"], unit=data["unit"], start_date=data["start_date"]
        )


class ContactPointSerializer(serializers.ModelSerializer):
    unit = UnitCodeField()
    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all())

    class Meta:
        model = ContactPoint
        fields = ["id", "campaign", "person", "unit"]
        read_only_fields = ["id"]


class ContactPointViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """联系点 of leaders, for units inside the caller's scope."""

    serializer_class = ContactPointSerializer
    filterset_fields = ["campaign", "person"]

    def get_queryset(self) -> Any:
        scope_q = scope_for(self.request.user).unit_q(path_field="unit__path", unit_field="unit_id")
        return ContactPoint.objects.filter(scope_q).order_by("pk")

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        serializer.instance = services.contact_point_add(actor=self.request.user, **serializer.validated_data)


routes = [
    ("units", UnitViewSet, "unit"),
    ("people", PersonViewSet, "person"),
    ("posts", PostViewSet, "post"),
    ("organizations", OrganizationViewSet, "organization"),
    ("memberships", MembershipViewSet, "membership"),
    ("assignments", AssignmentViewSet, "assignment"),
    ("contact-points", ContactPointViewSet, "contact-point"),
]
