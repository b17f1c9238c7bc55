"""Admin views of stage-1 records: read-only and scoped; every change goes through the pages or the API.

A named submitter's contact is not listed here either: the admin shows what the
office pages show to the office, nothing more.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from campaign.admin import ServiceAdmin
from stages.models import Opinion, OpinionGroup, Remediation, StudySession, Survey


class ReadOnlyServiceAdmin(ServiceAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(StudySession)
class StudySessionAdmin(ReadOnlyServiceAdmin):
    list_display = ["held_on", "unit", "kind", "topic", "hours"]
    list_filter = ["kind"]
    search_fields = ["topic", "unit__name"]


@admin.register(Opinion)
class OpinionAdmin(ReadOnlyServiceAdmin):
    list_display = ["received_on", "unit", "channel", "category", "is_anonymous", "source"]
    list_filter = ["channel", "category", "is_anonymous", "source"]
    search_fields = ["text", "unit__name"]
    exclude = ["submitter_name", "submitter_contact"]


@admin.register(OpinionGroup)
class OpinionGroupAdmin(ReadOnlyServiceAdmin):
    list_display = ["title", "unit", "status", "claim_kind", "published_at"]
    list_filter = ["status", "claim_kind"]
    search_fields = ["title", "unit__name"]


@admin.register(Survey)
class SurveyAdmin(ReadOnlyServiceAdmin):
    list_display = ["title", "unit", "purpose", "mode", "status", "opens_at", "closes_at"]
    list_filter = ["purpose", "mode", "status"]
    exclude = ["public_key"]


@admin.register(Remediation)
class RemediationAdmin(ReadOnlyServiceAdmin):
    list_display = ["unit", "survey", "status", "closed_at"]
    list_filter = ["status"]
