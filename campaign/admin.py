from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from campaign import services
from campaign.gates import condition_choices, condition_label
from campaign.models import (
    Campaign,
    Gate,
    Job,
    LookBack,
    StageCalendar,
    StageEvent,
    UnitStage,
    WindowOverride,
)
from units.access import scope_for
from units.choices import UnitKind
from units.models import Unit

admin.site.site_header = "教育实践活动工作平台 · 管理后台"
admin.site.site_title = "管理后台"
admin.site.index_title = "数据管理"


class ServiceAdminForm(ModelForm):
    """Runs the admin's service at the end of validation, so a broken rule is a form error."""

    service_admin: "ServiceAdmin"
    request: HttpRequest
    saved: Model | None = None

    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]
        if self.errors:
            return
        admin_ = self.service_admin
        try:
            if self.instance.pk:
                self.saved = admin_.update(self.request, self.instance, self)
            else:
                self.saved = admin_.create(self.request, self.instance, self)
        except ValidationError as exc:
            self.add_error(None, exc)
        except PermissionDenied as exc:
            self.add_error(None, str(exc) or "您没有执行此操作的权限。")


class ServiceAdmin(SimpleHistoryAdmin):
    """Admin whose writes go through the services, scoped like every other path.

    Subclasses implement ``create`` and ``update`` by calling a service with the
    form's cleaned data. Records are never deleted from the admin.
    """

    form = ServiceAdminForm
    scope_path_field = "unit__path"
    scope_unit_field = "unit_id"

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form_class = super().get_form(request, obj, change=change, **kwargs)
        return type(form_class.__name__, (form_class,), {"service_admin": self, "request": request})

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)
        scope = scope_for(request.user)
        if scope.is_superuser:
            return queryset
        return queryset.filter(
            scope.unit_q(path_field=self.scope_path_field, unit_field=self.scope_unit_field)
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        saved = form.saved  # type: ignore[attr-defined]
        obj.pk = saved.pk
        obj.refresh_from_db()

    def save_related(self, request: HttpRequest, form: ModelForm, formsets: Any, change: bool) -> None:
        """Many-to-many values were written by the service already."""

    def create(self, request: HttpRequest, obj: Any, form: ModelForm) -> Model:
        raise PermissionDenied("此类记录不能在管理后台新建。")

    def update(self, request: HttpRequest, obj: Any, form: ModelForm) -> Model:
        raise PermissionDenied("此类记录不能在管理后台修改。")


@admin.register(Campaign)
class CampaignAdmin(ServiceAdmin):
    list_display = ["name", "batch", "root_unit", "start_date", "end_date", "min_unit_months"]
    fields = [
        "name",
        "batch",
        "root_unit",
        "start_date",
        "end_date",
        "min_unit_months",
        "rating_min_responses",
        "rating_threshold_numerator",
        "rating_threshold_denominator",
    ]
    raw_id_fields = ["root_unit"]
    scope_path_field = "root_unit__path"
    scope_unit_field = "root_unit_id"
    RATING_FIELDS = ("rating_min_responses", "rating_threshold_numerator", "rating_threshold_denominator")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # Once the campaign runs only the rule of the public rating (开门整改) is changed here.
        return [f for f in self.fields if f not in self.RATING_FIELDS] if obj is not None else []

    def create(self, request: HttpRequest, obj: Campaign, form: ModelForm) -> Model:
        data = {k: v for k, v in form.cleaned_data.items() if k not in self.RATING_FIELDS}
        return services.campaign_create(actor=request.user, **data)

    def update(self, request: HttpRequest, obj: Campaign, form: ModelForm) -> Model:
        data = form.cleaned_data
        return services.campaign_set_rating_rule(
            actor=request.user,
            campaign=obj,
            min_responses=data["rating_min_responses"],
            threshold_numerator=data["rating_threshold_numerator"],
            threshold_denominator=data["rating_threshold_denominator"],
        )


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "status", "user", "done", "total", "created_at", "finished_at"]
    list_filter = ["kind", "status"]
    readonly_fields = [f.name for f in Job._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# --- calendar, stage states, gates, 回头看 -------------------------------------


class GateAdminForm(ServiceAdminForm):
    condition = forms.ChoiceField(label="条件", choices=())
    unit_kinds = forms.MultipleChoiceField(
        label="适用单位类型",
        choices=UnitKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="不选表示所有类型的单位。",
    )
    params = forms.JSONField(
        label="参数",
        required=False,
        initial=dict,
        help_text='JSON，如 {"min": 3} 或 {"threshold": "2/3", "survey": "meeting"}；留空用默认值。',
    )

    class Meta:
        model = Gate
        fields = ["campaign", "stage", "condition", "unit_kinds", "params", "is_active", "note"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["condition"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = condition_choices()


@admin.register(Gate)
class GateAdmin(ServiceAdmin):
    form = GateAdminForm
    list_display = ["campaign", "stage", "condition_text", "kinds_text", "params", "is_active"]
    list_filter = ["campaign", "stage", "is_active"]
    scope_path_field = "campaign__root_unit__path"
    scope_unit_field = "campaign__root_unit_id"

    @admin.display(description="条件")
    def condition_text(self, obj: Gate) -> str:
        return condition_label(obj.condition, obj.params)

    @admin.display(description="适用单位类型")
    def kinds_text(self, obj: Gate) -> str:
        labels = dict(UnitKind.choices)
        return "、".join(str(labels.get(k, k)) for k in obj.unit_kinds) or "所有单位"

    def create(self, request: HttpRequest, obj: Gate, form: ModelForm) -> Model:
        data = form.cleaned_data
        return services.gate_create(
            actor=request.user,
            campaign=data["campaign"],
            stage=data["stage"],
            condition=data["condition"],
            unit_kinds=data["unit_kinds"],
            params=data["params"] or {},
            note=data["note"],
        )

    def update(self, request: HttpRequest, obj: Gate, form: ModelForm) -> Model:
        data = form.cleaned_data
        return services.gate_update(
            actor=request.user,
            gate=obj,
            version=None,
            stage=data["stage"],
            condition=data["condition"],
            unit_kinds=data["unit_kinds"],
            params=data["params"] or {},
            is_active=data["is_active"],
            note=data["note"],
        )


class CalendarAdminForm(ServiceAdminForm):
    unit_code = forms.CharField(label="单位编码", help_text="设置日程的活动办所在单位（省、市、县、乡镇）。")

    class Meta:
        model = StageCalendar
        fields = [
            "campaign",
            "interval_days",
            "stage1_start",
            "stage1_end",
            "stage2_start",
            "stage2_end",
            "stage3_start",
            "stage3_end",
            "note",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["unit_code"].initial = self.instance.unit.code
            self.fields["unit_code"].disabled = True

    def clean_unit_code(self) -> Unit:
        code = self.cleaned_data["unit_code"].strip()
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            raise forms.ValidationError("没有编码为“%(code)s”的单位。", params={"code": code})
        return unit


@admin.register(StageCalendar)
class StageCalendarAdmin(ServiceAdmin):
    form = CalendarAdminForm
    list_display = ["unit", "campaign", "top_level", "interval_days", "stage1_start", "stage3_end"]
    list_filter = ["campaign", "top_level"]
    search_fields = ["unit__name", "unit__code"]
    fields = ["unit_code", *CalendarAdminForm.Meta.fields]

    def _save(self, request: HttpRequest, form: ModelForm) -> Model:
        data = dict(form.cleaned_data)
        unit = data.pop("unit_code")
        return services.calendar_set(actor=request.user, unit=unit, **data)

    def create(self, request: HttpRequest, obj: StageCalendar, form: ModelForm) -> Model:
        return self._save(request, form)

    def update(self, request: HttpRequest, obj: StageCalendar, form: ModelForm) -> Model:
        return self._save(request, form)


class ReadOnlyAdmin(ServiceAdmin):
    """Rows moved only by their services (stage moves, 回头看): viewable here, changed elsewhere."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(WindowOverride)
class WindowOverrideAdmin(ReadOnlyAdmin):
    list_display = ["unit", "campaign", "stage", "start", "end", "reason"]
    list_filter = ["campaign", "stage"]
    search_fields = ["unit__name", "unit__code"]


@admin.register(UnitStage)
class UnitStageAdmin(ReadOnlyAdmin):
    list_display = ["unit", "campaign", "status", "stage", "entered_on", "started_on", "restarts"]
    list_filter = ["campaign", "status", "stage"]
    search_fields = ["unit__name", "unit__code"]


@admin.register(StageEvent)
class StageEventAdmin(ReadOnlyAdmin):
    list_display = [
        "unit",
        "occurred_on",
        "action",
        "from_status",
        "from_stage",
        "to_status",
        "to_stage",
        "actor",
    ]
    list_filter = ["campaign", "action"]
    search_fields = ["unit__name", "unit__code"]


@admin.register(LookBack)
class LookBackAdmin(ReadOnlyAdmin):
    list_display = ["unit", "stage", "verdict", "status", "due_date", "group", "recorded_on"]
    list_filter = ["campaign", "verdict", "status", "stage"]
    search_fields = ["unit__name", "unit__code"]
