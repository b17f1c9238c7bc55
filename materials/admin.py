from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.forms import ModelForm
from django.http import HttpRequest

from campaign.admin import ServiceAdmin
from campaign.audit import acting_as
from materials.models import (
    ChainRule,
    ChainStep,
    ChainTemplate,
    Material,
    MaterialProblem,
    MaterialVersion,
    Review,
    ReviewAction,
    ReviewStep,
)


class ChainDataAdmin(ServiceAdmin):
    """Chains are configuration an office maintains; saved with history, validated by the model."""

    def get_queryset(self, request: HttpRequest) -> Any:
        return self.model._default_manager.all()

    def create(self, request: HttpRequest, obj: Any, form: ModelForm) -> Model:
        return self._save(request, obj)

    def update(self, request: HttpRequest, obj: Any, form: ModelForm) -> Model:
        return self._save(request, obj)

    def _save(self, request: HttpRequest, obj: Any) -> Model:
        from django.core.exceptions import PermissionDenied

        if not request.user.is_superuser:
            raise PermissionDenied("只有系统管理员可以修改审核流程。")
        obj.full_clean()
        with acting_as(request.user):
            obj.save()
        return obj


@admin.register(ChainTemplate)
class ChainTemplateAdmin(ChainDataAdmin):
    list_display = ["code", "name", "subject_kind", "reentry", "is_active"]
    list_filter = ["subject_kind", "is_active"]
    fields = ["code", "name", "subject_kind", "reentry", "description", "is_active"]


@admin.register(ChainStep)
class ChainStepAdmin(ChainDataAdmin):
    list_display = ["template", "order", "name", "kind", "reviewer_rule", "rule_level", "time_limit_days"]
    list_filter = ["template", "kind", "reviewer_rule"]
    fields = [
        "template",
        "order",
        "name",
        "kind",
        "reviewer_rule",
        "rule_level",
        "rule_person",
        "condition",
        "time_limit_days",
        "note",
    ]
    raw_id_fields = ["rule_person"]


@admin.register(ChainRule)
class ChainRuleAdmin(ChainDataAdmin):
    list_display = ["priority", "description", "template", "subject_kind", "is_active"]
    list_filter = ["subject_kind", "is_active"]
    fields = ["priority", "subject_kind", "template", "condition", "description", "is_active"]


class ReadOnlyAdmin(ServiceAdmin):
    """Workflow records change only through the review flow, never by hand."""

    scope_path_field = "unit_path"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Material)
class MaterialAdmin(ReadOnlyAdmin):
    list_display = ["title", "unit", "kind", "status", "published_at"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "unit__name"]


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ["title", "unit", "template", "status", "round", "submitted_at"]
    list_filter = ["status", "template"]
    search_fields = ["title"]


@admin.register(MaterialVersion)
class MaterialVersionAdmin(ReadOnlyAdmin):
    list_display = ["material", "number", "submitted_at"]
    scope_path_field = "material__unit_path"
    scope_unit_field = "material__unit_id"


@admin.register(MaterialProblem)
class MaterialProblemAdmin(ReadOnlyAdmin):
    list_display = ["material", "part", "text", "is_active"]


@admin.register(ReviewStep)
class ReviewStepAdmin(ReadOnlyAdmin):
    list_display = ["review", "round", "order", "name", "state", "unresolved", "due_at"]
    list_filter = ["state", "unresolved"]
    scope_unit_field = "review__unit_id"


@admin.register(ReviewAction)
class ReviewActionAdmin(ReadOnlyAdmin):
    list_display = ["review", "kind", "actor_name", "created_at"]
    list_filter = ["kind"]
    scope_path_field = "review__unit_path"
    scope_unit_field = "review__unit_id"


# --- 谈心谈话, 拟批评意见, meetings, 通报会, 专题报告: read-only, they change through their services --------

from materials.meeting_models import (  # noqa: E402
    Briefing,
    CriticismList,
    Meeting,
    MeetingCriticism,
    MeetingEvent,
    MeetingReport,
    Talk,
)


@admin.register(Talk)
class TalkAdmin(ReadOnlyAdmin):
    list_display = ["unit", "held_on", "party_a", "party_b", "group", "status"]
    list_filter = ["status"]
    search_fields = ["unit__name", "party_a__name", "party_b__name"]


@admin.register(CriticismList)
class CriticismListAdmin(ReadOnlyAdmin):
    list_display = ["unit", "person", "status"]
    list_filter = ["status"]


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["unit", "kind", "number", "status", "held_start", "held_end", "rating"]
    list_filter = ["kind", "status", "rating"]
    search_fields = ["unit__name"]


@admin.register(MeetingCriticism)
class MeetingCriticismAdmin(ReadOnlyAdmin):
    list_display = ["pk", "meeting", "target", "critic", "is_active"]
    search_fields = ["content", "target__name"]


@admin.register(Briefing)
class BriefingAdmin(ReadOnlyAdmin):
    list_display = ["unit", "held_on", "respondents", "satisfied", "status"]
    list_filter = ["status"]


@admin.register(MeetingReport)
class MeetingReportAdmin(ReadOnlyAdmin):
    list_display = ["unit", "due_date", "status", "submitted_at", "filed_at"]
    list_filter = ["status"]


@admin.register(MeetingEvent)
class StageEventAdmin(ReadOnlyAdmin):
    list_display = ["subject", "subject_id", "action", "actor_name", "created_at"]
    list_filter = ["subject", "action"]


# --- 雷同检测 (copy detection) --------------------------------------------------------

from django.contrib import messages  # noqa: E402

from materials.copycheck import services as copycheck  # noqa: E402
from materials.models import CopyReport, ReferenceText  # noqa: E402


@admin.register(ReferenceText)
class ReferenceTextAdmin(ServiceAdmin):
    """The reference corpus: uploaded, renamed and withdrawn through the services."""

    list_display = ["title", "source_note", "owner_unit", "status", "uploaded_at"]
    list_filter = ["status"]
    search_fields = ["title", "source_note"]
    scope_path_field = "owner_unit__path"
    scope_unit_field = "owner_unit_id"
    actions = ["withdraw"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["title", "source_note"] if obj else ["title", "source_note", "text"]

    def create(self, request: HttpRequest, obj: Any, form: ModelForm) -> Model:
        data = form.cleaned_data
        return copycheck.reference_text_upload(
            actor=request.user, title=data["title"], source_note=data["source_note"], text=data["text"]
        )

    def update(self, request: HttpRequest, obj: Any, form: ModelForm) -> Model:
        data = form.cleaned_data
        return copycheck.reference_text_update(
            actor=request.user,
            reference=obj,
            title=data["title"],
            source_note=data["source_note"],
            version=None,
        )

    @admin.action(description="撤回所选比对文本（不删除）")
    def withdraw(self, request: HttpRequest, queryset: Any) -> None:
        done = 0
        for reference in queryset.filter(status="active"):
            copycheck.reference_text_withdraw(
                actor=request.user, reference=reference, reason="在管理后台撤回", version=None
            )
            done += 1
        self.message_user(request, f"已撤回 {done} 份比对文本。", messages.SUCCESS)


@admin.register(CopyReport)
class CopyReportAdmin(ReadOnlyAdmin):
    list_display = ["material", "number", "status", "share", "source_count", "checked_at", "duration_ms"]
    list_filter = ["status"]
    scope_path_field = "material__unit_path"
    scope_unit_field = "material__unit_id"
    exclude = ["passages"]
