"""What every role may do on every path: the access table the walker (tests/campaign/test_every_path.py)
checks every URL name and every API operation against.

One line per URL name (PAGES) and per API operation (API). Each line gives the kind of record
the path's ``pk``/``id`` (or ``code``) stands for (see tests/access_records.py; ``""`` if none,
``"unit"`` is filled from ``code``) and one letter per role, in the order of ROLES, for the
answer to a GET of county A's record:

    a  200 (shown)                 L  302 to the login page (anonymous)
    r  302 elsewhere (e.g. back)   U  401 (API, anonymous)
    3  403 (seen, not allowed)     4  404 (out of scope: the record's existence is not revealed)
    m  405 (GET not allowed)       b  400

Write operations of the API (POST/PUT) are sent with an empty body: by anonymous and office_b to
county A's record, by every county-A user to county B's record — so their letters say what a
user gets for a record outside his scope (must be 4, or 3/m that reveal nothing; never b).

Adding a page or an endpoint: add its line here (run the walker with ACCESS_TABLE_PRINT=1 to
see what it answers, then check that this is what each role should get).
"""

from __future__ import annotations

from typing import Any

ROLES = ["anonymous", "outsider", "village", "member", "principal", "supervisor", "office", "office_b"]

# The admin site is for staff only and is checked in tests/campaign/test_security.py.
SKIP_PREFIXES = ("admin:",)


def letter(response: Any) -> str:
    status = response.status_code
    if status in (301, 302):
        return "L" if "/login/" in response.get("Location", "") else "r"
    return {200: "a", 400: "b", 401: "U", 403: "3", 404: "4", 405: "m"}.get(status, str(status))


PAGES: dict[str, tuple[str | tuple[str, ...], str]] = {
    "api-root": ("", "Uaaaaaaa"),  # /api/
    "api-token": ("", "mmmmmmmm"),  # /api/auth/token/
    "campaign:advance": ("unit", "Lmmmmmmm"),  # /campaign/<str:code>/stages/advance/
    "campaign:calendar_edit": ("unit", "L44333a4"),  # /campaign/<str:code>/calendar/
    "campaign:calendar_history": ("unit", "L44aaaa4"),  # /campaign/<str:code>/calendar/history/
    "campaign:gates": ("campaign", "L4aaaaaa"),  # /campaigns/<int:pk>/gates/
    "campaign:lookback_add": ("unit", "L4433a34"),  # /campaign/<str:code>/lookbacks/add/
    "campaign:lookback_close": ("lookback", "L4433aa4"),  # /campaign/lookbacks/<int:pk>/close/
    "campaign:lookback_history": ("lookback", "L44aaaa4"),  # /campaign/lookbacks/<int:pk>/history/
    "campaign:open": ("unit", "Lmmmmmmm"),  # /campaign/<str:code>/stages/open/
    "campaign:override_edit": ("unit", "L44333a4"),  # /campaign/<str:code>/windows/
    "campaign:override_history": ("override", "L44aaaa4"),  # /campaign/overrides/<int:pk>/history/
    "campaign:stage_history": ("unit", "L44aaaa4"),  # /campaign/<str:code>/stages/history/
    "campaign:stages": ("unit", "L44aaaa4"),  # /campaign/<str:code>/stages/
    "healthz": ("", "aaaaaaaa"),  # /healthz
    "home": ("", "Laaaaaaa"),  # /
    "job": ("job", "L44444a4"),  # /jobs/<int:pk>/
    "login": ("", "aaaaaaaa"),  # /accounts/login/
    "logout": ("", "mmmmmmmm"),  # /accounts/logout/
    "materials:act": ("material", "Lmmmmmmm"),  # /materials/<int:pk>/steps/<int:step_id>/act/
    "materials:briefing_add": ("meeting", "Lmmmmmmm"),  # /meetings/<int:pk>/briefings/
    "materials:briefing_result": ("briefing", "Lmmmmmmm"),  # /meetings/briefings/<int:pk>/result/
    "materials:compare": ("material", "L444rrr4"),  # /materials/<int:pk>/compare/
    "materials:criticism_act": (
        "criticism_list",
        "Lmmmmmmm",
    ),  # /criticisms/<int:pk>/steps/<int:step_id>/act/
    "materials:criticism_edit": ("criticism_list", "L444a334"),  # /criticisms/<int:pk>/edit/
    "materials:criticism_history": ("criticism_list", "L444aaa4"),  # /criticisms/<int:pk>/history/
    "materials:criticism_list": ("criticism_list", "L444aaa4"),  # /criticisms/<int:pk>/
    "materials:criticisms": ("unit", "L44aaaa4"),  # /criticisms/unit/<str:code>/
    "materials:detail": ("material", "L444aaa4"),  # /materials/<int:pk>/
    "materials:docx": ("material", "Lmmmmmmm"),  # /materials/<int:pk>/docx/
    "materials:edit": ("material", "L444r334"),  # /materials/<int:pk>/edit/
    "materials:export": ("material", "L444aaa4"),  # /materials/<int:pk>/export.docx
    "materials:history": ("material", "L444aaa4"),  # /materials/<int:pk>/history/
    "materials:inbox": ("", "Laaaaaaa"),  # /reviews/inbox/
    "materials:meeting": ("meeting", "L44aaaa4"),  # /meetings/<int:pk>/
    "materials:meeting_evaluate": ("meeting", "Lmmmmmmm"),  # /meetings/<int:pk>/evaluate/
    "materials:meeting_history": ("meeting", "L44aaaa4"),  # /meetings/<int:pk>/history/
    "materials:meeting_hold": ("meeting", "Lmmmmmmm"),  # /meetings/<int:pk>/hold/
    "materials:meeting_plan": ("meeting", "L44aa334"),  # /meetings/<int:pk>/plan/
    "materials:meeting_plan_act": ("meeting", "Lmmmmmmm"),  # /meetings/<int:pk>/steps/<int:step_id>/act/
    "materials:meeting_record": ("meeting", "L44rrrr4"),  # /meetings/<int:pk>/record/
    "materials:meeting_rehold": ("meeting", "Lmmmmmmm"),  # /meetings/<int:pk>/rehold/
    "materials:meeting_start": ("unit", "Lmmmmmmm"),  # /meetings/unit/<str:code>/start/
    "materials:meeting_step_reassign": ("meeting", "L4444444"),  # /meetings/steps/<int:step_id>/reassign/
    "materials:meeting_unit": ("unit", "L44rrrr4"),  # /meetings/unit/<str:code>/
    "materials:meetings_under": ("unit", "L44aaaa4"),  # /meetings/under/<str:code>/
    "materials:mine": ("", "Laaaaaaa"),  # /materials/
    "materials:publish": ("material", "Lmmmmmmm"),  # /materials/<int:pk>/publish/
    "materials:reassign": ("material", "L4444444"),  # /materials/<int:pk>/steps/<int:step_id>/reassign/
    "materials:reference": ("reference", "L44444aa"),  # /materials/references/<int:pk>/
    "materials:reference_history": ("reference", "L44444aa"),  # /materials/references/<int:pk>/history/
    "materials:reference_upload": ("", "L33333aa"),  # /materials/references/new/
    "materials:reference_withdraw": ("reference", "Lmmmmmmm"),  # /materials/references/<int:pk>/withdraw/
    "materials:references": ("", "L33333aa"),  # /materials/references/
    "materials:report": ("meeting", "L44aaaa4"),  # /meetings/<int:pk>/report/
    "materials:report_history": ("meeting", "L44aaaa4"),  # /meetings/<int:pk>/report/history/
    "materials:reports_under": ("unit", "L44aaaa4"),  # /meetings/reports/under/<str:code>/
    "materials:start": ("", "Lmmmmmmm"),  # /materials/start/
    "materials:submit": ("material", "L444a334"),  # /materials/<int:pk>/submit/
    "materials:talk": ("talk", "L44aaaa4"),  # /talks/<int:pk>/
    "materials:talk_confirm": ("talk", "Lmmmmmmm"),  # /talks/<int:pk>/confirm/
    "materials:talk_edit": ("talk", "L443a334"),  # /talks/<int:pk>/edit/
    "materials:talk_history": ("talk", "L44aaaa4"),  # /talks/<int:pk>/history/
    "materials:talks": ("unit", "L44aaaa4"),  # /talks/unit/<str:code>/
    "materials:talks_mine": ("", "Laaaaaaa"),  # /talks/
    "materials:under": ("unit", "L44aaaa4"),  # /materials/under/<str:code>/
    "materials:version": ("material", "L4444444"),  # /materials/<int:pk>/versions/<int:number>/
    "rectification:evidence": ("evidence", "L44aaaa4"),  # /rectification/evidence/<int:pk>/
    "rectification:export": ("unit", "L44aaaa4"),  # /rectification/units/<str:code>/export/
    "rectification:import": ("unit", "L44aa3a4"),  # /rectification/units/<str:code>/import/
    "rectification:item": ("item", "L44aaaa4"),  # /rectification/items/<int:pk>/
    "rectification:item_add": ("unit", "L44aa3a4"),  # /rectification/units/<str:code>/items/add/
    "rectification:item_claim": ("item", "Lmmmmmmm"),  # /rectification/items/<int:pk>/claim/
    "rectification:item_edit": ("item", "L44aa3a4"),  # /rectification/items/<int:pk>/edit/
    "rectification:item_grant": ("item", "Lmmmmmmm"),  # /rectification/items/<int:pk>/grant/
    "rectification:item_help": ("item", "L44aa3a4"),  # /rectification/items/<int:pk>/help/
    "rectification:item_history": ("item", "L44aaaa4"),  # /rectification/items/<int:pk>/history/
    "rectification:item_link_source": ("item", "Lmmmmmmm"),  # /rectification/items/<int:pk>/sources/
    "rectification:item_participant": ("item", "Lmmmmmmm"),  # /rectification/items/<int:pk>/participants/
    "rectification:item_progress": ("item", "L44aa3a4"),  # /rectification/items/<int:pk>/progress/
    "rectification:item_reopen": ("item", "L4433a34"),  # /rectification/items/<int:pk>/reopen/
    "rectification:item_request_close": ("item", "L44aa3a4"),  # /rectification/items/<int:pk>/request-close/
    "rectification:item_send_back": ("item", "L4433a34"),  # /rectification/items/<int:pk>/send-back/
    "rectification:item_sign_off": ("item", "L4433a34"),  # /rectification/items/<int:pk>/sign-off/
    "rectification:item_unlink_source": (
        "item",
        "Lmmmmmmm",
    ),  # /rectification/items/<int:pk>/sources/<int:link_pk>/unlink/
    "rectification:item_withdraw": ("item", "L44333a4"),  # /rectification/items/<int:pk>/withdraw/
    "rectification:job": ("job", "L44444a4"),  # /rectification/jobs/<int:pk>/
    "rectification:job_download": ("job", "L44444r4"),  # /rectification/jobs/<int:pk>/download/
    "rectification:ledger": ("unit", "L44aaaa4"),  # /rectification/units/<str:code>/
    "rectification:plan": ("plan", "L44aaaa4"),  # /rectification/plans/<int:pk>/
    "rectification:plan_add": ("unit", "L44aa3a4"),  # /rectification/units/<str:code>/plans/add/
    "rectification:plan_edit": ("plan", "L44aa3a4"),  # /rectification/plans/<int:pk>/edit/
    "rectification:plan_history": ("plan", "L44aaaa4"),  # /rectification/plans/<int:pk>/history/
    "rectification:plan_item_add": ("plan", "L44aa3a4"),  # /rectification/plans/<int:pk>/items/add/
    "rectification:plan_publish": ("plan", "L44333a4"),  # /rectification/plans/<int:pk>/publish/
    "rectification:plan_step_act": (
        "plan",
        "Lmmmmmmm",
    ),  # /rectification/plans/<int:pk>/steps/<int:step_id>/act/
    "rectification:plan_step_reassign": (
        "plan",
        "L4444444",
    ),  # /rectification/plans/<int:pk>/steps/<int:step_id>/reassign/
    "rectification:plan_submit": ("plan", "L44aa3a4"),  # /rectification/plans/<int:pk>/submit/
    "rectification:project": ("project", "L4aaaaa4"),  # /rectification/projects/<int:pk>/
    "rectification:project_add": ("unit", "L44333a4"),  # /rectification/units/<str:code>/projects/add/
    "rectification:project_plan": (
        "project",
        "L44aaaa4",
    ),  # /rectification/projects/<int:pk>/units/<str:code>/
    "rectification:projects": ("unit", "L44aaaa4"),  # /rectification/units/<str:code>/projects/
    "rectification:public": ("unit", "aaaaaaaa"),  # /public/units/<str:code>/rectification/
    "rectification:rule_add": ("unit", "L44aa3a4"),  # /rectification/units/<str:code>/rules/add/
    "rectification:rule_edit": ("rule", "L44aa3a4"),  # /rectification/rules/<int:pk>/edit/
    "rectification:rule_finish": ("rule", "L4444344"),  # /rectification/rules/<int:pk>/finish/
    "rectification:rule_history": ("rule", "L44aaaa4"),  # /rectification/rules/<int:pk>/history/
    "rectification:rules": ("unit", "L44aaaa4"),  # /rectification/units/<str:code>/rules/
    "rectification:sources": ("unit", "L44aaaa4"),  # /rectification/units/<str:code>/sources/
    "rectification:upper_help": ("unit", "L44aaaa4"),  # /rectification/units/<str:code>/upper-help/
    "rectification:worklist": ("", "Laaaaaaa"),  # /rectification/
    "schema": ("", "aaaaaaaa"),  # /api/schema/
    "set_language": ("", "rrrrrrrr"),  # /i18n/setlang/
    "stages:group_answer": ("group", "L44333a4"),  # /opinions/groups/<int:pk>/answer/
    "stages:group_claim": ("group", "L44aa3a4"),  # /opinions/groups/<int:pk>/claim/
    "stages:group_confirm": ("group", "Lmmmmmmm"),  # /opinions/groups/<int:pk>/confirm/
    "stages:group_detail": ("group", "L44aaaa4"),  # /opinions/groups/<int:pk>/
    "stages:group_dissolve": ("group", "Lmmmmmmm"),  # /opinions/groups/<int:pk>/dissolve/
    "stages:group_history": ("group", "L44aaaa4"),  # /opinions/groups/<int:pk>/history/
    "stages:group_list": ("unit", "L44aaaa4"),  # /opinions/units/<str:code>/groups/
    "stages:group_publish": ("group", "Lmmmmmmm"),  # /opinions/groups/<int:pk>/publish/
    "stages:group_split": ("group", "Lmmmmmmm"),  # /opinions/groups/<int:pk>/split/
    "stages:home": ("", "Laaaaaaa"),  # /stage1/
    "stages:job": ("job", "L4444444"),  # /opinions/jobs/<int:pk>/
    "stages:opinion_add": ("unit", "L44333a4"),  # /opinions/units/<str:code>/add/
    "stages:opinion_detail": ("opinion", "L44aaaa4"),  # /opinions/<int:pk>/
    "stages:opinion_edit": ("opinion", "L44333a4"),  # /opinions/<int:pk>/edit/
    "stages:opinion_export": ("unit", "L44aaaa4"),  # /opinions/units/<str:code>/export/
    "stages:opinion_history": ("opinion", "L44aaaa4"),  # /opinions/<int:pk>/history/
    "stages:opinion_import": ("unit", "L44333a4"),  # /opinions/units/<str:code>/import/
    "stages:opinion_list": ("unit", "L44aaaa4"),  # /opinions/units/<str:code>/
    "stages:public_opinion": ("unit", "aaaaaaaa"),  # /public/units/<str:code>/opinions/
    "stages:public_receipt": ("", "aaaaaaaa"),  # /public/opinions/receipt/
    "stages:public_survey": ("", "44444444"),  # /public/surveys/<str:key>/
    "stages:remediation_detail": ("remediation", "L44aaaa4"),  # /remediations/<int:pk>/
    "stages:remediation_history": ("remediation", "L44aaaa4"),  # /remediations/<int:pk>/history/
    "stages:respondent_survey": ("", "44444444"),  # /public/surveys/r/<str:token>/
    "stages:sorting": ("unit", "L44aaaa4"),  # /opinions/units/<str:code>/sorting/
    "stages:sorting_create": ("unit", "Lmmmmmmm"),  # /opinions/units/<str:code>/sorting/create/
    "stages:sorting_merge": ("unit", "Lmmmmmmm"),  # /opinions/units/<str:code>/sorting/merge/
    "stages:sorting_run": ("unit", "Lmmmmmmm"),  # /opinions/units/<str:code>/sorting/run/
    "stages:sorting_singles": ("unit", "Lmmmmmmm"),  # /opinions/units/<str:code>/sorting/singles/
    "stages:study_add": ("unit", "L44aa3a4"),  # /study/units/<str:code>/add/
    "stages:study_detail": ("study", "L44aaaa4"),  # /study/<int:pk>/
    "stages:study_edit": ("study", "L44aa3a4"),  # /study/<int:pk>/edit/
    "stages:study_history": ("study", "L44aaaa4"),  # /study/<int:pk>/history/
    "stages:study_list": ("unit", "L44aaaa4"),  # /study/units/<str:code>/
    "stages:survey_add": ("unit", "L44333a4"),  # /surveys/units/<str:code>/add/
    "stages:survey_close": ("survey", "Lmmmmmmm"),  # /surveys/<int:pk>/close/
    "stages:survey_detail": ("survey", "L44aaaa4"),  # /surveys/<int:pk>/
    "stages:survey_edit": ("survey", "L44333a4"),  # /surveys/<int:pk>/edit/
    "stages:survey_export": ("survey", "L44aaaa4"),  # /surveys/<int:pk>/export/
    "stages:survey_history": ("survey", "L44aaaa4"),  # /surveys/<int:pk>/history/
    "stages:survey_list": ("unit", "L44aaaa4"),  # /surveys/units/<str:code>/
    "stages:survey_open": ("survey", "Lmmmmmmm"),  # /surveys/<int:pk>/open/
    "stages:survey_results": ("survey", "L44aaaa4"),  # /surveys/<int:pk>/results/
    "stages:survey_tokens": ("survey", "L44333a4"),  # /surveys/<int:pk>/tokens/
    "supervision:accountability": ("unit", "L44aaaa4"),  # /supervision/accountability/<str:code>/
    "supervision:checklist": (
        "supervision_group",
        "L4444a44",
    ),  # /supervision/groups/<int:pk>/units/<str:code>/checklist/
    "supervision:group": ("supervision_group", "L4444a44"),  # /supervision/groups/<int:pk>/
    "supervision:hearings": ("unit", "L44aaaa4"),  # /supervision/hearings/<str:code>/
    "supervision:note_add": ("", "Lmmmmmmm"),  # /supervision/notes/add/
    "supervision:notification_open": ("notification", "Lmmmmmmm"),  # /notifications/<int:pk>/open/
    "supervision:notifications": ("", "Laaaaaaa"),  # /notifications/
    "supervision:read_all": ("", "Lmmmmmmm"),  # /notifications/read-all/
    "supervision:unread": ("", "Laaaaaaa"),  # /notifications/unread.json
    "supervision:urge": ("", "Lmmmmmmm"),  # /supervision/urge/
    "supervision:workspace": ("", "Laaaaraa"),  # /supervision/
    "swagger-ui": ("", "aaaaaaaa"),  # /api/docs/
    "units:add_child": ("unit", "L44333a4"),  # /units/<str:code>/add-child/
    "units:browse": ("", "Laaaaaaa"),  # /units/
    "units:children": ("unit", "L44aaaa4"),  # /units/<str:code>/children/
    "units:detail": ("unit", "L44aaaa4"),  # /units/<str:code>/
    "units:edit": ("unit", "L44333a4"),  # /units/<str:code>/edit/
    "units:export": ("unit", "L44aaaa4"),  # /units/<str:code>/export/
    "units:history": ("unit", "L44aaaa4"),  # /units/<str:code>/history/
    "units:import": ("", "Laaaaaaa"),  # /units/import/
    "units:organization": ("organization", "L44aaaa4"),  # /organizations/<int:pk>/
    "units:organization_history": ("organization", "L44aaaa4"),  # /organizations/<int:pk>/history/
    "units:person": ("person", "L44aaaa4"),  # /people/<int:pk>/
    "units:person_add": ("", "L33333aa"),  # /people/add/
    "units:person_edit": ("person", "L44333a4"),  # /people/<int:pk>/edit/
    "units:person_history": ("person", "L44aaaa4"),  # /people/<int:pk>/history/
    "units:post_add": ("unit", "L44333a4"),  # /units/<str:code>/posts/add/
    "units:post_edit": ("post", "L44333a4"),  # /posts/<int:pk>/edit/
    "units:post_end": ("post", "L44333a4"),  # /posts/<int:pk>/end/
    "units:post_history": ("post", "L44aaaa4"),  # /posts/<int:pk>/history/
    "units:public": ("unit", "aaaaaaaa"),  # /public/units/<str:code>/
    "campaign:dashboard": ("unit", "L44aaaa4"),  # /dashboard/<str:code>/
    "campaign:dashboard_export": ("unit", "L44aaaa4"),  # /dashboard/<str:code>/export.xlsx
    "campaign:dashboard_home": ("", "Larrrrrr"),  # /dashboard/
    "job_download": ("job", "L44444a4"),  # /jobs/<int:pk>/download/
    "jobs": ("", "Laaaaaaa"),  # /jobs/
    "materials:briefing_survey": ("briefing", "Lmmmmmmm"),  # /meetings/briefings/<int:pk>/survey/
    "ping": ("", "aaaaaaaa"),  # /ping
    "rectification:public_rate": ("item", "44444444"),  # /public/rectification/items/<int:pk>/rate/
    "supervision:evaluation": (
        "supervision_group",
        "L4444aa4",
    ),  # /supervision/groups/<int:pk>/units/<str:code>/evaluation/
    "supervision:evaluation_history": (
        "supervision_group",
        "L4444aa4",
    ),  # /supervision/groups/<int:pk>/units/<str:code>/evaluation/history/
    "supervision:evaluations": ("supervision_group", "L4444a44"),  # /supervision/groups/<int:pk>/evaluations/
    "supervision:monthly_report": ("unit", "L444aaa4"),  # /supervision/units/<str:code>/monthly-report/
}
API: dict[str, tuple[str | tuple[str, ...], str]] = {
    "GET /api/accountability/": ("", "Uaaaaaaa"),
    "POST /api/accountability/": ("", "Ubbbbbbb"),
    "GET /api/assignments/": ("", "Uaaaaaaa"),
    "POST /api/assignments/": ("", "Ubbbbbbb"),
    "POST /api/auth/token/": ("", "bbbbbbbb"),
    "GET /api/briefings/": ("", "Uaaaaaaa"),
    "POST /api/briefings/": ("", "Ubbbbbbb"),
    "GET /api/briefings/{id}/": ("briefing", "U44aaaa4"),
    "POST /api/briefings/{id}/result/": ("briefing", "U4444444"),
    "GET /api/calendars/": ("", "Uaaaaaaa"),
    "POST /api/calendars/": ("", "Ubbbbbbb"),
    "GET /api/calendars/{id}/": ("calendar", "U4aaaaa4"),
    "PUT /api/calendars/{id}/": ("calendar", "U4444444"),
    "GET /api/campaigns/": ("", "Uaaaaaaa"),
    "GET /api/campaigns/{id}/": ("campaign", "U4aaaaaa"),
    "GET /api/chain-templates/": ("", "Uaaaaaaa"),
    "GET /api/chain-templates/{id}/": ("chain_template", "U4444444"),
    "GET /api/contact-points/": ("", "Uaaaaaaa"),
    "POST /api/contact-points/": ("", "Ubbbbbbb"),
    "GET /api/copy-reports/{id}/": ("check", "U4444aa4"),
    "GET /api/criticism-lists/": ("", "Uaaaaaaa"),
    "POST /api/criticism-lists/": ("", "Ubbbbbbb"),
    "GET /api/criticism-lists/{id}/": ("criticism_list", "U444aaa4"),
    "POST /api/criticism-lists/{id}/act/": ("criticism_list", "U4444444"),
    "PUT /api/criticism-lists/{id}/items/": ("criticism_list", "U4444444"),
    "POST /api/criticism-lists/{id}/submit/": ("criticism_list", "U4444444"),
    "GET /api/gates/": ("", "Uaaaaaaa"),
    "GET /api/gates/conditions/": ("", "Uaaaaaaa"),
    "GET /api/gates/{id}/": ("gate", "U4aaaaaa"),
    "GET /api/jobs/": ("", "Uaaaaaaa"),
    "GET /api/jobs/{id}/": ("job", "U44444a4"),
    "GET /api/lookbacks/": ("", "Uaaaaaaa"),
    "POST /api/lookbacks/": ("", "Ubbbbbbb"),
    "GET /api/lookbacks/{id}/": ("lookback", "U44aaaa4"),
    "POST /api/lookbacks/{id}/close/": ("lookback", "U4444444"),
    "GET /api/materials/": ("", "Uaaaaaaa"),
    "POST /api/materials/": ("", "Ubbbbbbb"),
    "GET /api/materials/{id}/": ("material", "U444aaa4"),
    "GET /api/materials/{id}/draft/": ("material", "U444a444"),
    "PUT /api/materials/{id}/draft/": ("material", "U4444444"),
    "POST /api/materials/{id}/publish/": ("material", "U4444444"),
    "POST /api/materials/{id}/submit/": ("material", "U4444444"),
    "GET /api/materials/{id}/versions/": ("material", "U444aaa4"),
    "GET /api/meeting-criticisms/": ("", "Uaaaaaaa"),
    "GET /api/meeting-criticisms/{id}/": ("meeting_criticism", "U44aaaa4"),
    "GET /api/meeting-reports/": ("", "Uaaaaaaa"),
    "GET /api/meeting-reports/{id}/": ("meeting_report", "U44aaaa4"),
    "PUT /api/meeting-reports/{id}/content/": ("meeting_report", "U4444444"),
    "POST /api/meeting-reports/{id}/file/": ("meeting_report", "U4444444"),
    "POST /api/meeting-reports/{id}/read/": ("meeting_report", "U4444444"),
    "POST /api/meeting-reports/{id}/submit/": ("meeting_report", "U4444444"),
    "GET /api/meetings/": ("", "Uaaaaaaa"),
    "POST /api/meetings/": ("", "Ubbbbbbb"),
    "GET /api/meetings/{id}/": ("meeting", "U44aaaa4"),
    "POST /api/meetings/{id}/appraisals/": ("meeting", "U4444444"),
    "POST /api/meetings/{id}/attendees/": ("meeting", "U4444444"),
    "POST /api/meetings/{id}/criticisms/": ("meeting", "U4444444"),
    "POST /api/meetings/{id}/evaluate/": ("meeting", "U4444444"),
    "POST /api/meetings/{id}/hold/": ("meeting", "U4444444"),
    "POST /api/meetings/{id}/plan-act/": ("meeting", "U4444444"),
    "PUT /api/meetings/{id}/plan/": ("meeting", "U4444444"),
    "GET /api/meetings/{id}/preconditions/": ("meeting", "U44aaaa4"),
    "PUT /api/meetings/{id}/record/": ("meeting", "U4444444"),
    "POST /api/meetings/{id}/rehold/": ("meeting", "U4444444"),
    "POST /api/meetings/{id}/statements/": ("meeting", "U4444444"),
    "POST /api/meetings/{id}/submit-plan/": ("meeting", "U4444444"),
    "GET /api/memberships/": ("", "Uaaaaaaa"),
    "POST /api/memberships/": ("", "Ubbbbbbb"),
    "GET /api/notifications/": ("", "Uaaaaaaa"),
    "POST /api/notifications/{id}/read/": ("notification", "U4444444"),
    "GET /api/opinion-groups/": ("", "Uaaaaaaa"),
    "GET /api/opinion-groups/{id}/": ("group", "U44aaaa4"),
    "POST /api/opinion-groups/{id}/answer/": ("group", "U4444444"),
    "POST /api/opinion-groups/{id}/claim/": ("group", "U4444444"),
    "POST /api/opinion-groups/{id}/confirm/": ("group", "U4444444"),
    "POST /api/opinion-groups/{id}/publish/": ("group", "U4444444"),
    "GET /api/opinions/": ("", "Uaaaaaaa"),
    "POST /api/opinions/": ("", "Ubbbbbbb"),
    "GET /api/opinions/{id}/": ("opinion", "U44aaaa4"),
    "GET /api/organizations/": ("", "Uaaaaaaa"),
    "POST /api/organizations/": ("", "Ubbbbbbb"),
    "GET /api/organizations/{id}/": ("organization", "U44aaaa4"),
    "GET /api/people/": ("", "Uaaaaaaa"),
    "POST /api/people/": ("", "Ubbbbbbb"),
    "GET /api/people/{id}/": ("person", "U44aaaa4"),
    "PUT /api/people/{id}/": ("person", "U4444444"),
    "GET /api/posts/": ("", "Uaaaaaaa"),
    "POST /api/posts/": ("", "Ubbbbbbb"),
    "GET /api/posts/{id}/": ("post", "U44aaaa4"),
    "POST /api/posts/{id}/end/": ("post", "U4444444"),
    "GET /api/rectification-items/": ("", "Uaaaaaaa"),
    "POST /api/rectification-items/": ("", "Ubbbbbbb"),
    "GET /api/rectification-items/{id}/": ("item", "U44aaaa4"),
    "POST /api/rectification-items/{id}/reopen/": ("item", "U4444444"),
    "POST /api/rectification-items/{id}/report/": ("item", "U4444444"),
    "POST /api/rectification-items/{id}/request-close/": ("item", "U4444444"),
    "POST /api/rectification-items/{id}/send-back/": ("item", "U4444444"),
    "POST /api/rectification-items/{id}/sign-off/": ("item", "U4444444"),
    "GET /api/rectification-plans/": ("", "Uaaaaaaa"),
    "GET /api/rectification-plans/{id}/": ("plan", "U44aaaa4"),
    "POST /api/rectification-plans/{id}/submit/": ("plan", "U4444444"),
    "GET /api/reference-texts/": ("", "U33333aa"),
    "POST /api/reference-texts/": ("", "Ubbbbbbb"),
    "GET /api/reference-texts/{id}/": ("reference", "U33333aa"),
    "POST /api/reference-texts/{id}/withdraw/": ("reference", "U33333b3"),
    "GET /api/remediations/": ("", "Uaaaaaaa"),
    "GET /api/remediations/{id}/": ("remediation", "U44aaaa4"),
    "POST /api/remediations/{id}/close/": ("remediation", "U4444444"),
    "POST /api/remediations/{id}/record/": ("remediation", "U4444444"),
    "GET /api/report-hearings/": ("", "Uaaaaaaa"),
    "POST /api/report-hearings/": ("", "Ubbbbbbb"),
    "GET /api/review-steps/": ("", "Uaaaaaaa"),
    "POST /api/review-steps/{id}/act/": ("review_step", "U4444444"),
    "POST /api/review-steps/{id}/reassign/": ("review_step", "U4444444"),
    "GET /api/rules/": ("", "Uaaaaaaa"),
    "GET /api/rules/{id}/": ("rule", "U44aaaa4"),
    "GET /api/special-projects/": ("", "Uaaaaaaa"),
    "GET /api/special-projects/{id}/": ("project", "U4aaaaa4"),
    "GET /api/study-sessions/": ("", "Uaaaaaaa"),
    "POST /api/study-sessions/": ("", "Ubbbbbbb"),
    "GET /api/study-sessions/{id}/": ("study", "U44aaaa4"),
    "PUT /api/study-sessions/{id}/": ("study", "U4444444"),
    "GET /api/supervision-groups/{id}/": ("supervision_group", "U4444a44"),
    "GET /api/surveys/": ("", "Uaaaaaaa"),
    "GET /api/surveys/{id}/": ("survey", "U44aaaa4"),
    "POST /api/surveys/{id}/close/": ("survey", "U4444444"),
    "POST /api/surveys/{id}/open/": ("survey", "U4444444"),
    "GET /api/surveys/{id}/results/": ("survey", "U44aaaa4"),
    "GET /api/talks/": ("", "Uaaaaaaa"),
    "POST /api/talks/": ("", "Ubbbbbbb"),
    "GET /api/talks/coverage/": ("", "U4444444"),
    "GET /api/talks/{id}/": ("talk", "U44aaaa4"),
    "PUT /api/talks/{id}/": ("talk", "U4444444"),
    "POST /api/talks/{id}/confirm/": ("talk", "U4444444"),
    "GET /api/unanswered-sources/{id}/": ("unit", "U44aaaa4"),
    "GET /api/unit-stages/": ("", "Uaaaaaaa"),
    "GET /api/unit-stages/{id}/": ("unit_stage", "U44aaaa4"),
    "POST /api/unit-stages/{id}/advance/": ("unit_stage", "U4444444"),
    "GET /api/units/": ("", "Uaaaaaaa"),
    "POST /api/units/": ("", "Ubbbbbbb"),
    "GET /api/units/{code}/": ("unit", "U44aaaa4"),
    "PUT /api/units/{code}/": ("unit", "U4444444"),
    "POST /api/urges/": ("", "Ubbbbbbb"),
    "GET /api/window-overrides/": ("", "Uaaaaaaa"),
    "POST /api/window-overrides/": ("", "Ubbbbbbb"),
    "GET /api/window-overrides/{id}/": ("override", "U44aaaa4"),
    "GET /api/dashboards/{code}/": ("unit", "U44aaaa4"),
    "GET /api/item-ratings/": ("", "Uaaaaaaa"),
    "GET /api/item-ratings/{id}/": ("rating", "U44aaaa4"),
    "GET /api/record-evaluations/": ("", "Uaaaaaaa"),
    "GET /api/record-evaluations/{id}/": ("evaluation", "U4444aa4"),
    "POST /api/briefings/{id}/survey/": ("briefing", "U4444444"),
    "POST /api/monthly-reports/": ("", "Ubbbbbbb"),
    "POST /api/record-evaluations/report/": ("", "Ubbbbbbb"),
    "POST /api/record-evaluations/save/": ("", "Ubbbbbbb"),
}
