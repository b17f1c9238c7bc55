from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from materials.admin import ReadOnlyAdmin
from supervision.models import (
    Accountability,
    LeaderEvaluation,
    Notification,
    RecordEvaluation,
    ReminderLedger,
    ReportHearing,
    SupervisionNote,
    UnitCheck,
    Urge,
)


class OperationalAdmin(admin.ModelAdmin):
    """Reminder bookkeeping: read only, for looking into what was sent to whom."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)


@admin.register(ReminderLedger)
class ReminderLedgerAdmin(OperationalAdmin):
    list_display = ["title", "rule", "threshold", "recipient", "created_at", "sent_at"]
    list_filter = ["rule", "threshold"]


@admin.register(Notification)
class NotificationAdmin(OperationalAdmin):
    list_display = ["title", "user", "kind", "created_at", "read_at", "emailed"]
    list_filter = ["kind"]


@admin.register(Urge)
class UrgeAdmin(OperationalAdmin):
    list_display = ["object_key", "actor", "recipients", "created_at"]


@admin.register(SupervisionNote)
class SupervisionNoteAdmin(ReadOnlyAdmin):
    list_display = ["unit", "author", "created_at", "text"]


@admin.register(Accountability)
class AccountabilityAdmin(ReadOnlyAdmin):
    list_display = ["unit", "person", "kind", "date"]
    list_filter = ["kind"]


@admin.register(UnitCheck)
class UnitCheckAdmin(ReadOnlyAdmin):
    list_display = ["unit", "group", "item", "status"]
    list_filter = ["item", "status"]


@admin.register(ReportHearing)
class HearingAdmin(ReadOnlyAdmin):
    list_display = ["unit", "date", "chaired_by"]


class LeaderEvaluationInline(admin.TabularInline):
    model = LeaderEvaluation
    extra = 0
    can_delete = False
    fields = ["person", "post_title", "grade", "text"]
    readonly_fields = ["person", "post_title", "grade", "text"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(RecordEvaluation)
class RecordEvaluationAdmin(ReadOnlyAdmin):
    """纪实评价 are written by the 督导组 on their pages; the admin only reads them."""

    list_display = ["unit", "group", "status", "grade", "submitted_at"]
    list_filter = ["status", "grade"]
    inlines = [LeaderEvaluationInline]
