from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Model
from django.forms import ModelForm
from django.http import HttpRequest

from campaign.admin import ServiceAdmin, ServiceAdminForm
from units import services
from units.models import ContactPoint, Organization, OrgMembership, Person, Post, SupervisionAssignment, Unit


class UnitAdminForm(ServiceAdminForm):
    parent_code = forms.CharField(label="上级单位编码", required=False, help_text="顶级单位留空。")

    class Meta:
        model = Unit
        fields = ["name", "code", "kind", "is_active"]

    def clean_parent_code(self) -> Unit | None:
        code = self.cleaned_data["parent_code"].strip()
        if not code:
            return None
        parent = Unit.objects.filter(code=code).first()
        if parent is None:
            raise forms.ValidationError("没有编码为“%(code)s”的单位。", params={"code": code})
        return parent


@admin.register(Unit)
class UnitAdmin(ServiceAdmin):
    form = UnitAdminForm
    list_display = ["name", "code", "kind", "level", "category", "is_active"]
    list_filter = ["kind", "level", "category", "is_active"]
    search_fields = ["name", "code"]
    readonly_fields = ["level", "category", "path", "depth"]
    scope_path_field = "path"
    scope_unit_field = "pk"

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is None:
            return ["parent_code", "name", "code", "kind"]
        return ["name", "code", "is_active", "kind", "level", "category", "path", "depth"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [*self.readonly_fields, "kind"] if obj else []

    def create(self, request: HttpRequest, obj: Unit, form: ModelForm) -> Model:
        data = form.cleaned_data
        return services.unit_create(
            actor=request.user,
            parent=data["parent_code"],
            name=data["name"],
            code=data["code"],
            kind=data["kind"],
        )

    def update(self, request: HttpRequest, obj: Unit, form: ModelForm) -> Model:
        data = form.cleaned_data
        return services.unit_update(
            actor=request.user,
            unit=obj,
            version=None,
            name=data["name"],
            code=data["code"],
            is_active=data["is_active"],
        )


@admin.register(Person)
class PersonAdmin(ServiceAdmin):
    list_display = ["name", "code", "rank", "phone", "user"]
    list_filter = ["rank"]
    search_fields = ["name", "code"]
    fields = ["name", "code", "rank", "phone", "user"]
    raw_id_fields = ["user"]

    def get_queryset(self, request: HttpRequest) -> Any:
        from units.selectors import people_visible_to

        return people_visible_to(request.user)

    def create(self, request: HttpRequest, obj: Person, form: ModelForm) -> Model:
        data = form.cleaned_data
        person = services.person_create(
            actor=request.user, name=data["name"], code=data["code"], rank=data["rank"], phone=data["phone"]
        )
        if data.get("user"):
            person = services.person_link_user(actor=request.user, person=person, user=data["user"])
        return person

    def update(self, request: HttpRequest, obj: Person, form: ModelForm) -> Model:
        data = form.cleaned_data
        person = services.person_update(
            actor=request.user,
            person=obj,
            version=None,
            name=data["name"],
            code=data["code"],
            rank=data["rank"],
            phone=data["phone"],
        )
        if data.get("user") and data["user"] != Person.objects.get(pk=obj.pk).user:
            person = services.person_link_user(actor=request.user, person=person, user=data["user"])
        return person


@admin.register(Post)
class PostAdmin(ServiceAdmin):
    list_display = ["person", "unit", "title", "role", "start_date", "end_date"]
    list_filter = ["role"]
    search_fields = ["person__name", "unit__name", "title"]
    autocomplete_fields = ["person", "unit", "oversees"]
    fields = ["person", "unit", "title", "role", "sort_order", "start_date", "end_date", "oversees"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["person", "unit", "start_date"] if obj else []

    def create(self, request: HttpRequest, obj: Post, form: ModelForm) -> Model:
        data = form.cleaned_data
        return services.post_create(actor=request.user, **data)

    def update(self, request: HttpRequest, obj: Post, form: ModelForm) -> Model:
        data = form.cleaned_data
        return services.post_update(
            actor=request.user,
            post=obj,
            version=None,
            title=data["title"],
            role=data["role"],
            sort_order=data["sort_order"],
            end_date=data["end_date"],
            oversees=data["oversees"],
        )


@admin.register(Organization)
class OrganizationAdmin(ServiceAdmin):
    list_display = ["name", "kind", "unit", "campaign"]
    list_filter = ["kind", "campaign"]
    search_fields = ["name", "unit__name"]
    autocomplete_fields = ["unit"]
    fields = ["campaign", "unit", "kind", "name"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return self.fields if obj else []

    def create(self, request: HttpRequest, obj: Organization, form: ModelForm) -> Model:
        return services.organization_create(actor=request.user, **form.cleaned_data)


@admin.register(OrgMembership)
class OrgMembershipAdmin(ServiceAdmin):
    list_display = ["organization", "person", "role", "start_date", "end_date"]
    list_filter = ["role", "organization__kind"]
    search_fields = ["person__name", "organization__name"]
    autocomplete_fields = ["person", "organization"]
    fields = ["organization", "person", "role", "start_date", "end_date"]
    scope_path_field = "organization__unit__path"
    scope_unit_field = "organization__unit_id"

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["organization", "person", "role", "start_date"] if obj else []

    def create(self, request: HttpRequest, obj: OrgMembership, form: ModelForm) -> Model:
        return services.membership_add(actor=request.user, **form.cleaned_data)

    def update(self, request: HttpRequest, obj: OrgMembership, form: ModelForm) -> Model:
        return services.membership_end(
            actor=request.user, membership=obj, end_date=form.cleaned_data["end_date"]
        )


@admin.register(SupervisionAssignment)
class SupervisionAssignmentAdmin(ServiceAdmin):
    list_display = ["group", "unit", "start_date", "end_date"]
    search_fields = ["group__name", "unit__name"]
    autocomplete_fields = ["group", "unit"]
    fields = ["group", "unit", "start_date", "end_date"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["group", "unit", "start_date"] if obj else ["end_date"]

    def create(self, request: HttpRequest, obj: SupervisionAssignment, form: ModelForm) -> Model:
        data = form.cleaned_data
        return services.supervision_assign(
            actor=request.user, group=data["group"], unit=data["unit"], start_date=data["start_date"]
        )

    def update(self, request: HttpRequest, obj: SupervisionAssignment, form: ModelForm) -> Model:
        return services.supervision_end(
            actor=request.user, assignment=obj, end_date=form.cleaned_data["end_date"]
        )


@admin.register(ContactPoint)
class ContactPointAdmin(ServiceAdmin):
    list_display = ["person", "unit", "campaign"]
    search_fields = ["person__name", "unit__name"]
    autocomplete_fields = ["person", "unit"]
    fields = ["campaign", "person", "unit"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return self.fields if obj else []

    def create(self, request: HttpRequest, obj: ContactPoint, form: ModelForm) -> Model:
        return services.contact_point_add(actor=request.user, **form.cleaned_data)
