"""Pages of 整改落实、建章立制: thin views over the selectors, forms and services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from campaign import clock
from campaign.files import open_private
from campaign.forms import add_service_error
from campaign.selectors import job_get_own
from campaign.tabular import write_xlsx
from campaign.views import render_history
from materials import review as engine
from materials import selectors as review_selectors
from materials.forms import DecisionForm, ReassignForm
from materials.models import ReviewStep
from rectification import forms, rights, selectors, services, source_registry
from rectification.choices import (
    WORKING_STATUSES,
    Acceptance,
    Handling,
    ItemStatus,
    ListKind,
    PlanStatus,
    RuleStatus,
    WarningLevel,
)
from rectification.evidence import MIME
from rectification.ledger import ledger_rows
from rectification.models import ItemSource, RectificationItem, Rule, SpecialProjectPlan
from rectification.rating_selectors import attach_ratings, item_ratings
from rectification.tasks import LEDGER_EXPORT, LEDGER_IMPORT
from units.access import require, scope_for
from units.models import Unit
from units.selectors import unit_ancestors, unit_get_visible

PAGE_SIZE = 50
EXPORT_SYNC_LIMIT = 3000


def _crumbs(request: HttpRequest, unit: Unit) -> list[tuple[Unit, bool]]:
    scope = scope_for(request.user)
    return [(a, scope.reaches(a.path)) for a in unit_ancestors(unit)]


def _run(form: Any, call: Callable[[], Any]) -> bool:
    """Run a service for a valid form; a refusal becomes a form error."""
    try:
        call()
    except (ValidationError, PermissionDenied) as exc:
        add_service_error(form, exc)
        return False
    return True


# --- worklist and 台账 -----------------------------------------------------------


@login_required
def worklist(request: HttpRequest) -> HttpResponse:
    """待我办理: items waiting for my sign-off, plans waiting for my review."""
    sign_off = Paginator(selectors.items_awaiting_sign_off(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "rectification/worklist.html",
        {
            "page_obj": sign_off,
            "plans": selectors.plans_awaiting_review(request.user)[:100],
            "title": _("整改落实 · 待我办理"),
        },
    )


@login_required
def ledger_page(request: HttpRequest, code: str) -> HttpResponse:
    """整改台账 of a unit's subtree, filtered and paginated (fixed query count)."""
    unit = unit_get_visible(request.user, code)
    filters = {key: request.GET.get(key, "") for key in selectors.LEDGER_FILTERS}
    paginator = Paginator(selectors.ledger(request.user, unit, filters), PAGE_SIZE)
    known, children = selectors.ledger_counts(request.user, unit, filters)
    if known is not None:
        paginator.count = known  # a cached_property: the list is not counted again
    page = paginator.get_page(request.GET.get("page"))
    rows = selectors.ledger_list_rows(cast(QuerySet, page.object_list))  # a slice of the ledger
    scope = scope_for(request.user)
    return render(
        request,
        "rectification/ledger.html",
        {
            "unit": unit,
            "ancestors": _crumbs(request, unit),
            "page_obj": page,
            "rows": rows,
            "filters": filters,
            "plans": selectors.plans_of_unit(request.user, unit),
            "children": children,
            "can_keep": rights.may_keep_records(scope, unit.path),
            "statuses": ItemStatus.choices,
            "handlings": Handling.choices,
            "kinds": ListKind.choices,
            "warnings": [
                (WarningLevel.RED, WarningLevel.RED.label),
                (WarningLevel.YELLOW, WarningLevel.YELLOW.label),
            ],
            "today": clock.today(),
        },
    )


@login_required
def ledger_export(request: HttpRequest, code: str) -> HttpResponseBase:
    """The 台账 as .xlsx in the layout offices use; a large subtree runs as a background job."""
    unit = unit_get_visible(request.user, code)
    filters = {key: request.GET.get(key, "") for key in selectors.LEDGER_FILTERS if request.GET.get(key)}
    filename = f"{unit.code}-整改台账-{clock.today():%Y%m%d}.xlsx"
    if selectors.ledger(request.user, unit, filters).count() > EXPORT_SYNC_LIMIT:
        job = services.ledger_export_start(actor=request.user, unit=unit, filters=filters, filename=filename)
        messages.info(request, _("台账较大，正在后台生成，完成后可在本页下载。"))
        return redirect("rectification:job", job.pk)
    header, rows = ledger_rows(request.user, unit, filters)
    response = HttpResponse(
        write_xlsx(_("整改台账"), header, rows),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = _attachment(filename)
    return response


def _attachment(filename: str) -> str:
    from urllib.parse import quote

    return f"attachment; filename=\"ledger.xlsx\"; filename*=UTF-8''{quote(filename)}"


@login_required
@require_http_methods(["GET", "POST"])
def ledger_import(request: HttpRequest, code: str) -> HttpResponse:
    unit = unit_get_visible(request.user, code)
    require(rights.may_keep_records(scope_for(request.user), unit.path))
    form = forms.LedgerImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job: Any = None

        def start() -> None:
            nonlocal job
            job = services.ledger_import_start(
                actor=request.user,
                unit=unit,
                upload=form.cleaned_data["file"],
                skip_errors=form.cleaned_data["skip_errors"],
            )

        if _run(form, start):
            messages.info(request, _("文件已上传，正在后台导入。"))
            return redirect("rectification:job", job.pk)
    return render(
        request,
        "rectification/import.html",
        {"unit": unit, "ancestors": _crumbs(request, unit), "form": form, "title": _("导入整改进展")},
    )


@login_required
def job_page(request: HttpRequest, pk: int) -> HttpResponse:
    job = job_get_own(request.user, pk)
    if job.kind not in (LEDGER_IMPORT, LEDGER_EXPORT):
        raise Http404
    title = _("导入整改进展") if job.kind == LEDGER_IMPORT else _("导出整改台账")
    return render(request, "rectification/job.html", {"job": job, "title": title})


@login_required
def job_download(request: HttpRequest, pk: int) -> HttpResponse:
    """Kept for old links: the jobs centre serves every job's file (and says when it expired)."""
    job = job_get_own(request.user, pk)
    if job.kind != LEDGER_EXPORT:
        raise Http404
    return redirect("job_download", pk=job.pk)


# --- items -------------------------------------------------------------------------


@login_required
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_get_visible(request.user, pk)
    user = request.user
    can_edit = rights.can_edit_item(user, item)
    scope = scope_for(user)
    link_choices: list[tuple[str, str]] = []
    if can_edit and item.status in (*WORKING_STATUSES, ItemStatus.CLOSE_REQUESTED):
        for group in selectors.unanswered_sources(item.unit, limit=100):
            link_choices += [(f"{s.kind}:{s.id}", f"{group.label}：{s.label}"[:120]) for s in group.sources]
    return render(
        request,
        "rectification/item_detail.html",
        {
            "item": item,
            "unit": item.unit,
            "ancestors": _crumbs(request, item.unit),
            "sources": selectors.item_sources(item),
            "reports": selectors.item_reports(item),
            "events": selectors.item_events(item),
            "ratings": item_ratings(item),
            "can_see_surveys": scope.is_superuser or scope.can_manage(item.unit_path),
            "participants": item.participants.select_related("unit").order_by("role", "unit_path"),
            "can_edit": can_edit,
            "can_report": rights.can_report_item(user, item),
            "can_sign_off": rights.can_sign_off_item(user, item),
            "can_manage": rights.can_manage_item(user, item),
            "can_claim": item.needs_upper_help
            and item.claimed_by_id is None
            and item.status in WORKING_STATUSES
            and (scope.is_superuser or rights.office_above(scope, item.area_path)),
            "working": item.status in WORKING_STATUSES,
            "link_form": forms.LinkSourceForm(choices=link_choices) if link_choices else None,
            "participant_form": forms.ParticipantForm() if can_edit else None,
            "claim_form": forms.ClaimForm(),
            "grant_form": forms.GrantForm(),
        },
    )


@login_required
def item_history(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_get_visible(request.user, pk)
    return render_history(request, item, back_url=item.get_absolute_url())


def _item_form_initial(item: RectificationItem) -> dict[str, Any]:
    return {name: getattr(item, name) for name in services.ITEM_FIELDS} | {"version": item.version}


@login_required
@require_http_methods(["GET", "POST"])
def item_add(request: HttpRequest, code: str) -> HttpResponse:
    """立行立改: open an item at any stage, outside a plan."""
    unit = unit_get_visible(request.user, code)
    require(rights.may_keep_records(scope_for(request.user), unit.path))
    form = forms.ItemCreateForm(
        request.POST or None, unit=unit, initial={"source": request.GET.get("source", "")}
    )
    return _item_create(request, form, unit=unit, plan=None, title=_("新增整改事项（立行立改）"))


def _item_create(request: HttpRequest, form: Any, *, unit: Unit, plan: Any, title: str) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("version", None)
        sources = data.pop("source", [])
        if sources:
            data["sources"] = sources
        created: list[RectificationItem] = []

        def create() -> None:
            created.append(services.item_create(actor=request.user, unit=unit, plan=plan, **data))

        if _run(form, create):
            messages.success(request, _("整改事项已立项。"))
            return redirect(created[0])
    back = plan.get_absolute_url() if plan else reverse("rectification:ledger", args=[unit.code])
    return render(
        request,
        "rectification/form.html",
        {"form": form, "unit": unit, "ancestors": _crumbs(request, unit), "title": title, "back_url": back},
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_get_visible(request.user, pk)
    require(rights.can_edit_item(request.user, item))
    form = forms.ItemForm(request.POST or None, unit=item.unit, initial=_item_form_initial(item))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        if _run(form, lambda: services.item_update(actor=request.user, item=item, version=version, **data)):
            messages.success(request, _("整改事项已保存。"))
            return redirect(item)
    return render(
        request,
        "rectification/form.html",
        {
            "form": form,
            "unit": item.unit,
            "ancestors": _crumbs(request, item.unit),
            "title": _("编辑整改事项 %(n)s") % {"n": item.number},
            "back_url": item.get_absolute_url(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_progress(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_get_visible(request.user, pk)
    require(rights.can_report_item(request.user, item))
    form = forms.ProgressForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _run(
            form,
            lambda: services.item_report_progress(
                actor=request.user, item=item, text=data["text"], files=data["attachments"]
            ),
        ):
            messages.success(request, _("整改进展已报告。"))
            return redirect(item)
    return render(
        request,
        "rectification/form.html",
        {
            "form": form,
            "unit": item.unit,
            "item": item,
            "ancestors": _crumbs(request, item.unit),
            "title": _("报告整改进展：%(n)s") % {"n": item.number},
            "back_url": item.get_absolute_url(),
            "multipart": True,
        },
    )


ItemRight = Callable[[Any, RectificationItem], bool]


def _item_action(
    request: HttpRequest,
    pk: int,
    *,
    allowed: ItemRight,
    form_class: type,
    call: Callable[[RectificationItem, dict[str, Any]], Any],
    title: str,
    done: str,
    button: str,
) -> HttpResponse:
    item = selectors.item_get_visible(request.user, pk)
    require(allowed(request.user, item))
    form = form_class(request.POST or None, initial={"version": item.version})
    if request.method == "POST" and form.is_valid() and _run(form, lambda: call(item, form.cleaned_data)):
        messages.success(request, done)
        return redirect(item)
    return render(
        request,
        "rectification/action.html",
        {
            "form": form,
            "item": item,
            "unit": item.unit,
            "ancestors": _crumbs(request, item.unit),
            "title": title,
            "button": button,
        },
    )


def _may_request_close(user: Any, item: RectificationItem) -> bool:
    return rights.can_edit_item(user, item) or any(
        p.role == "lead" for p in rights.participating_units(scope_for(user), item)
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_request_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _item_action(
        request,
        pk,
        allowed=_may_request_close,
        form_class=forms.NoteForm,
        call=lambda item, d: services.item_request_close(
            actor=request.user, item=item, version=d["version"], note=d["note"]
        ),
        title=_("申请销号"),
        done=_("已申请销号，等待督导组或上级活动办审核。"),
        button=_("申请销号"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    return _item_action(
        request,
        pk,
        allowed=rights.can_sign_off_item,
        form_class=forms.NoteForm,
        call=lambda item, d: services.item_sign_off(
            actor=request.user, item=item, version=d["version"], opinion=d["note"]
        ),
        title=_("销号"),
        done=_("已销号。"),
        button=_("确认销号"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_send_back(request: HttpRequest, pk: int) -> HttpResponse:
    return _item_action(
        request,
        pk,
        allowed=rights.can_sign_off_item,
        form_class=forms.ReasonForm,
        call=lambda item, d: services.item_send_back(
            actor=request.user, item=item, version=d["version"], reason=d["reason"]
        ),
        title=_("退回整改"),
        done=_("已退回，责任单位将继续整改。"),
        button=_("退回"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    return _item_action(
        request,
        pk,
        allowed=rights.can_sign_off_item,
        form_class=forms.ReasonForm,
        call=lambda item, d: services.item_reopen(
            actor=request.user, item=item, version=d["version"], reason=d["reason"]
        ),
        title=_("复号（问题反弹）"),
        done=_("已复号，事项重新进入整改。"),
        button=_("复号"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _item_action(
        request,
        pk,
        allowed=rights.can_manage_item,
        form_class=forms.ReasonForm,
        call=lambda item, d: services.item_withdraw(
            actor=request.user, item=item, version=d["version"], reason=d["reason"]
        ),
        title=_("撤销整改事项"),
        done=_("事项已撤销，记录保留。"),
        button=_("撤销"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_request_help(request: HttpRequest, pk: int) -> HttpResponse:
    return _item_action(
        request,
        pk,
        allowed=rights.can_edit_item,
        form_class=forms.HelpForm,
        call=lambda item, d: services.item_request_help(
            actor=request.user, item=item, version=d["version"], note=d["note"]
        ),
        title=_("提请上级帮助解决"),
        done=_("已提请上级帮助解决，事项已列入上级活动办的清单。"),
        button=_("提请"),
    )


def _post_on_item(
    request: HttpRequest,
    pk: int,
    form: Any,
    allowed: ItemRight,
    call: Callable[[RectificationItem], Any],
    done: str,
) -> HttpResponse:
    item = selectors.item_get_visible(request.user, pk)
    require(allowed(request.user, item))
    if form.is_valid() and _run(form, lambda: call(item)):
        messages.success(request, done)
    else:
        for error in form.non_field_errors() or [e for errs in form.errors.values() for e in errs]:
            messages.error(request, error)
    return redirect(item)


@login_required
@require_POST
def item_link_source(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_get_visible(request.user, pk)
    choices = []
    raw = request.POST.get("source", "")
    kind, _sep, ident = raw.partition(":")
    if kind in source_registry.providers() and ident.isdigit():
        choices = [(raw, raw)]
    form = forms.LinkSourceForm(request.POST, choices=choices)
    return _post_on_item(
        request,
        item.pk,
        form,
        rights.can_edit_item,
        lambda it: services.item_link_source(
            actor=request.user,
            item=it,
            kind=form.cleaned_data["source"][0],
            source_id=form.cleaned_data["source"][1],
        ),
        _("已关联问题来源。"),
    )


@login_required
@require_POST
def item_unlink_source(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    item = selectors.item_get_visible(request.user, pk)
    require(rights.can_edit_item(request.user, item))
    link = get_object_or_404(ItemSource, pk=link_pk, item=item)
    try:
        services.item_unlink_source(actor=request.user, link=link)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, _("已取消关联。"))
    return redirect(item)


@login_required
@require_POST
def item_add_participant(request: HttpRequest, pk: int) -> HttpResponse:
    form = forms.ParticipantForm(request.POST)
    return _post_on_item(
        request,
        pk,
        form,
        rights.can_edit_item,
        lambda it: services.item_add_participant(
            actor=request.user, item=it, unit=form.cleaned_data["unit"], role=form.cleaned_data["role"]
        ),
        _("已登记参与单位。"),
    )


@login_required
@require_POST
def item_claim(request: HttpRequest, pk: int) -> HttpResponse:
    form = forms.ClaimForm(request.POST)
    return _post_on_item(
        request,
        pk,
        form,
        lambda user, it: True,  # the service decides: the claimant's 班子 or its office
        lambda it: services.item_claim(actor=request.user, item=it, unit=form.cleaned_data["unit"]),
        _("已由上级部门认领。"),
    )


@login_required
@require_POST
def item_grant(request: HttpRequest, pk: int) -> HttpResponse:
    form = forms.GrantForm(request.POST)
    return _post_on_item(
        request,
        pk,
        form,
        rights.can_manage_item,
        lambda it: services.item_grant(
            actor=request.user,
            item=it,
            user=form.cleaned_data["username"],
            codename=form.cleaned_data["codename"],
        ),
        _("已授权。"),
    )


@login_required
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    """A 佐证材料 file, only for those who may see its item; never from a public URL."""
    found = selectors.evidence_get_visible(request.user, pk)
    response = FileResponse(
        open_private(found.stored_as),
        as_attachment=True,
        filename=found.original_name,
        content_type=MIME[found.kind],
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- plans ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def plan_add(request: HttpRequest, code: str) -> HttpResponse:
    unit = unit_get_visible(request.user, code)
    require(rights.may_keep_records(scope_for(request.user), unit.path))
    form = forms.PlanCreateForm(request.POST or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created = []
        if _run(
            form,
            lambda: created.append(
                services.plan_create(
                    actor=request.user,
                    unit=unit,
                    kind=data["kind"],
                    title=data["title"],
                    summary=data["summary"],
                    person=data.get("person"),
                )
            ),
        ):
            messages.success(request, _("整改方案已建立，请逐条列出整改清单。"))
            return redirect(created[0])
    return render(
        request,
        "rectification/form.html",
        {
            "form": form,
            "unit": unit,
            "ancestors": _crumbs(request, unit),
            "title": _("制定整改方案"),
            "back_url": reverse("rectification:ledger", args=[unit.code]),
        },
    )


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get_visible(request.user, pk)
    scope = scope_for(request.user)
    editable = plan.status in (PlanStatus.DRAFT, PlanStatus.RETURNED)
    review = plan.review
    step = review_selectors.open_step_for(request.user, review)
    steps = review_selectors.review_steps(review)
    return render(
        request,
        "rectification/plan_detail.html",
        {
            "plan": plan,
            "unit": plan.unit,
            "ancestors": _crumbs(request, plan.unit),
            "items": selectors.plan_items(plan),
            "events": plan.events.select_related("actor").order_by("-on_date", "-at", "-pk"),
            "review": review,
            # The review engine's partials (materials/_steps.html, _trail.html) and decision form.
            "steps": steps,
            "open_steps": [s for s in steps if s.is_open and review and s.round == review.round],
            "trail": review_selectors.review_trail(review),
            "decision_step": step,
            "decision_form": _decision_form(step, review) if step and review else None,
            "can_manage": scope.can_manage(plan.unit_path),
            "reassign_view": "rectification:plan_step_reassign",
            "subject_pk": plan.pk,
            "can_edit": services.can_edit_plan(request.user, plan) and editable,
            "can_publish": (scope.is_superuser or scope.can_manage(plan.unit_path))
            and plan.status == PlanStatus.APPROVED
            and not plan.published
            and plan.kind != ListKind.PERSONAL,
        },
    )


def _decision_form(step: ReviewStep, review: Any, data: Any = None) -> DecisionForm:
    """The reviewer's decision form of the engine; the "六不" checklist is for 对照检查材料 only."""
    form = DecisionForm(
        data, step_kind=step.kind, initial={"review_version": review.version, "opinion": _("同意。")}
    )
    form.fields.pop("checklist", None)
    return form


@login_required
def plan_history(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get_visible(request.user, pk)
    return render_history(request, plan, back_url=plan.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get_visible(request.user, pk)
    require(services.can_edit_plan(request.user, plan))
    form = forms.PlanForm(
        request.POST or None, initial={"title": plan.title, "summary": plan.summary, "version": plan.version}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _run(
            form,
            lambda: services.plan_update(
                actor=request.user,
                plan=plan,
                version=data["version"],
                title=data["title"],
                summary=data["summary"],
            ),
        ):
            messages.success(request, _("方案已保存。"))
            return redirect(plan)
    return render(
        request,
        "rectification/form.html",
        {
            "form": form,
            "unit": plan.unit,
            "ancestors": _crumbs(request, plan.unit),
            "title": _("编辑整改方案"),
            "back_url": plan.get_absolute_url(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get_visible(request.user, pk)
    require(services.can_edit_plan(request.user, plan))
    form = forms.ItemForm(request.POST or None, unit=plan.unit)
    return _item_create(
        request,
        form,
        unit=plan.unit,
        plan=plan,
        title=_("整改清单 · 新增事项：%(plan)s") % {"plan": plan.title},
    )


def _plan_action(
    request: HttpRequest,
    pk: int,
    *,
    allowed: Callable[[Any, Any], bool],
    form_class: type,
    call: Callable[[Any, dict[str, Any]], Any],
    title: str,
    done: str,
    button: str,
) -> HttpResponse:
    plan = selectors.plan_get_visible(request.user, pk)
    require(allowed(request.user, plan))
    form = form_class(request.POST or None, initial={"version": plan.version})
    if request.method == "POST" and form.is_valid() and _run(form, lambda: call(plan, form.cleaned_data)):
        messages.success(request, done)
        return redirect(plan)
    return render(
        request,
        "rectification/action.html",
        {
            "form": form,
            "plan": plan,
            "unit": plan.unit,
            "ancestors": _crumbs(request, plan.unit),
            "title": title,
            "button": button,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _plan_action(
        request,
        pk,
        allowed=services.can_edit_plan,
        form_class=forms.ConfirmForm,
        call=lambda plan, d: services.plan_submit(actor=request.user, plan=plan, version=d["version"]),
        title=_("报送审核"),
        done=_("方案已报送审核。"),
        button=_("报送"),
    )


def _plan_step(request: HttpRequest, pk: int, step_id: int) -> tuple[Any, ReviewStep]:
    plan = selectors.plan_get_visible(request.user, pk)
    if plan.review_id is None:
        raise Http404
    return plan, get_object_or_404(ReviewStep, pk=step_id, review_id=plan.review_id)


@login_required
@require_POST
def plan_step_act(request: HttpRequest, pk: int, step_id: int) -> HttpResponse:
    """通过 / 退回 on the plan's open review step, by one of its reviewers (the review engine)."""
    plan, step = _plan_step(request, pk, step_id)
    if step.is_open:
        engine.require_reviewer(request.user, step)
    form = _decision_form(step, plan.review, request.POST)
    if not form.is_valid():
        messages.error(
            request, _("请填写审核意见。") if "opinion" in form.errors else _("提交的内容不完整，请重试。")
        )
        return redirect(plan)
    data = form.cleaned_data
    try:
        engine.review_step_act(
            actor=request.user,
            step=step,
            decision=engine.Decision(data["action"], data["opinion"]),
            review_version=data["review_version"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已办理：%(step)s。") % {"step": step.name})
    return redirect(plan)


@login_required
@require_http_methods(["GET", "POST"])
def plan_step_reassign(request: HttpRequest, pk: int, step_id: int) -> HttpResponse:
    """The office names the reviewer(s) of an open step (none could be resolved, or a post changed)."""
    plan, step = _plan_step(request, pk, step_id)
    require(scope_for(request.user).can_manage(plan.unit_path), _("只有活动办可以调整审核人。"))
    form = ReassignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _run(
            form,
            lambda: engine.review_step_reassign(
                actor=request.user, step=step, people=data["person_codes"], reason=data["reason"]
            ),
        ):
            messages.success(request, _("已调整审核人。"))
            return redirect(plan)
    return render(
        request,
        "rectification/action.html",
        {
            "form": form,
            "plan": plan,
            "unit": plan.unit,
            "ancestors": _crumbs(request, plan.unit),
            "title": _("调整审核人：%(step)s（当前：%(who)s）")
            % {"step": step.name, "who": step.reviewer_label or "—"},
            "button": _("保存"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _plan_action(
        request,
        pk,
        allowed=lambda user, plan: scope_for(user).is_superuser or scope_for(user).can_manage(plan.unit_path),
        form_class=forms.ConfirmForm,
        call=lambda plan, d: services.plan_publish(actor=request.user, plan=plan, version=d["version"]),
        title=_("公开整改方案和整改清单"),
        done=_("方案和整改清单已在单位公开页面公布。"),
        button=_("公开"),
    )


# --- "四个回应" and 上下联动 ---------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def sources_page(request: HttpRequest, code: str) -> HttpResponse:
    """Sources no item answers yet, by kind; and the problems pointed out by superiors."""
    unit = unit_get_visible(request.user, code)
    scope = scope_for(request.user)
    from units.choices import Role

    may_record = (
        scope.is_superuser or scope.can_manage(unit.path) or scope.reaches(unit.path, roles=[Role.SUPERVISOR])
    )
    form = forms.PointedProblemForm(request.POST or None, initial={"pointed_on": clock.today()})
    if request.method == "POST":
        require(may_record, _("只有督导组和活动办可以登记上级点明的问题。"))
        if form.is_valid() and _run(
            form, lambda: services.pointed_problem_create(actor=request.user, unit=unit, **form.cleaned_data)
        ):
            messages.success(request, _("已登记上级点明的问题。"))
            return redirect("rectification:sources", unit.code)
    from rectification.models import PointedProblem

    return render(
        request,
        "rectification/sources.html",
        {
            "unit": unit,
            "ancestors": _crumbs(request, unit),
            "groups": selectors.unanswered_sources(unit),
            "pointed": PointedProblem.objects.filter(unit=unit).order_by("-pointed_on", "-pk")[:200],
            "form": form if may_record else None,
            "can_keep": rights.may_keep_records(scope, unit.path),
        },
    )


@login_required
def upper_help_page(request: HttpRequest, code: str) -> HttpResponse:
    unit = unit_get_visible(request.user, code)
    page = Paginator(selectors.upper_help_items(request.user, unit), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "rectification/upper_help.html",
        {"unit": unit, "ancestors": _crumbs(request, unit), "page_obj": page},
    )


# --- 专项整治 -------------------------------------------------------------------------


@login_required
def projects_page(request: HttpRequest, code: str) -> HttpResponse:
    unit = unit_get_visible(request.user, code)
    scope = scope_for(request.user)
    plans = selectors.project_plans_of_unit(unit)
    projects = [(project, plans.get(project.pk)) for project in selectors.projects_covering(unit)]
    deployed = selectors.projects_visible_to(request.user).filter(unit=unit).order_by("number", "pk")
    return render(
        request,
        "rectification/projects.html",
        {
            "unit": unit,
            "ancestors": _crumbs(request, unit),
            "projects": projects,
            "deployed": deployed,
            "can_deploy": (scope.is_superuser or scope.can_manage(unit.path)) and unit.is_territorial,
            "blocked": unit.pk in selectors.failed_acceptance_unit_ids([unit]),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_add(request: HttpRequest, code: str) -> HttpResponse:
    unit = unit_get_visible(request.user, code)
    scope = scope_for(request.user)
    require(scope.is_superuser or scope.can_manage(unit.path))
    form = forms.SpecialProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = []
        if _run(
            form,
            lambda: created.append(
                services.special_project_create(actor=request.user, unit=unit, **form.cleaned_data)
            ),
        ):
            messages.success(request, _("专项整治已部署。"))
            return redirect(created[0])
    return render(
        request,
        "rectification/form.html",
        {
            "form": form,
            "unit": unit,
            "ancestors": _crumbs(request, unit),
            "title": _("部署专项整治"),
            "back_url": reverse("rectification:projects", args=[unit.code]),
        },
    )


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_get_visible(request.user, pk)
    page = Paginator(selectors.project_units(request.user, project), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "rectification/project_detail.html",
        {
            "project": project,
            "page_obj": page,
            "unit": project.unit,
            "ancestors": _crumbs(request, project.unit),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_unit_plan(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """One unit's plan for one project: file or revise it, report progress, 评估验收."""
    project = selectors.project_get_visible(request.user, pk)
    unit = unit_get_visible(request.user, code)
    if not services.project_covers(project, unit):
        raise Http404
    plan = SpecialProjectPlan.objects.filter(project=project, unit=unit).first()
    scope = scope_for(request.user)
    can_keep = rights.may_keep_records(scope, unit.path)
    can_accept = scope.is_superuser or rights.office_above(scope, rights.area_path_for(unit))
    action = request.POST.get("action", "")
    initial = (
        {n: getattr(plan, n) for n in ("lead_unit", "responsible", "deadline", "target", "measures")}
        | {"version": plan.version}
        if plan
        else {}
    )
    plan_form = forms.ProjectPlanForm(request.POST if action == "file" else None, initial=initial)
    report_form = forms.ProjectReportForm(
        request.POST if action == "report" else None,
        initial={"status": plan.status, "progress": plan.progress, "version": plan.version} if plan else {},
    )
    accept_form = forms.AcceptanceForm(
        request.POST if action == "accept" else None, initial={"version": plan.version} if plan else {}
    )
    if request.method == "POST":
        if action == "file":
            require(can_keep)
            if plan_form.is_valid():
                data = dict(plan_form.cleaned_data)
                if _run(
                    plan_form,
                    lambda: services.special_project_plan_file(
                        actor=request.user, project=project, unit=unit, **data
                    ),
                ):
                    messages.success(request, _("整治方案已保存。"))
                    return redirect(request.path)
        elif action == "report" and plan is not None:
            require(can_keep)
            if report_form.is_valid():
                data = report_form.cleaned_data
                if _run(
                    report_form,
                    lambda: services.special_project_plan_report(
                        actor=request.user,
                        plan=plan,
                        version=data["version"],
                        status=data["status"],
                        progress=data["progress"],
                    ),
                ):
                    messages.success(request, _("整治进展已报告。"))
                    return redirect(request.path)
        elif action == "accept" and plan is not None:
            require(can_accept)
            if accept_form.is_valid():
                data = accept_form.cleaned_data
                if _run(
                    accept_form,
                    lambda: services.special_project_accept(
                        actor=request.user,
                        plan=plan,
                        version=data["version"],
                        passed=data["result"] == "passed",
                        reason=data["reason"],
                    ),
                ):
                    messages.success(request, _("评估验收结果已记录。"))
                    return redirect(request.path)
        else:
            raise Http404
    return render(
        request,
        "rectification/project_plan.html",
        {
            "project": project,
            "unit": unit,
            "ancestors": _crumbs(request, unit),
            "plan": plan,
            "events": plan.events.select_related("actor").order_by("-on_date", "-at", "-pk") if plan else [],
            "plan_form": plan_form
            if can_keep and (plan is None or plan.acceptance != Acceptance.PASSED)
            else None,
            "report_form": report_form
            if can_keep and plan and plan.acceptance != Acceptance.PASSED
            else None,
            "accept_form": accept_form if can_accept and plan else None,
        },
    )


# --- 建章立制 -------------------------------------------------------------------------


@login_required
def rules_page(request: HttpRequest, code: str) -> HttpResponse:
    unit = unit_get_visible(request.user, code)
    return render(
        request,
        "rectification/rules.html",
        {
            "unit": unit,
            "ancestors": _crumbs(request, unit),
            "rules": selectors.rules_of_unit(unit),
            "can_keep": rights.may_keep_records(scope_for(request.user), unit.path),
            "today": clock.today(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def rule_add(request: HttpRequest, code: str) -> HttpResponse:
    unit = unit_get_visible(request.user, code)
    require(rights.may_keep_records(scope_for(request.user), unit.path))
    form = forms.RuleCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("version", None)
        if _run(form, lambda: services.rule_create(actor=request.user, unit=unit, **data)):
            messages.success(request, _("已列入制度建设计划。"))
            return redirect("rectification:rules", unit.code)
    return render(
        request,
        "rectification/form.html",
        {
            "form": form,
            "unit": unit,
            "ancestors": _crumbs(request, unit),
            "title": _("梳理制度 / 新立制度"),
            "back_url": reverse("rectification:rules", args=[unit.code]),
        },
    )


def _rule_page(request: HttpRequest, rule: Rule, form: Any, title: str) -> HttpResponse:
    return render(
        request,
        "rectification/form.html",
        {
            "form": form,
            "unit": rule.unit,
            "ancestors": _crumbs(request, rule.unit),
            "title": title,
            "back_url": reverse("rectification:rules", args=[rule.unit.code]),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rule = selectors.rule_get_visible(request.user, pk)
    require(rights.may_keep_records(scope_for(request.user), rule.unit_path))
    initial = {n: getattr(rule, n) for n in ("title", "reason", "owner", "deadline")} | {
        "version": rule.version
    }
    form = forms.RuleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if _run(form, lambda: services.rule_update(actor=request.user, rule=rule, **data)):
            messages.success(request, _("制度已保存。"))
            return redirect("rectification:rules", rule.unit.code)
    return _rule_page(request, rule, form, _("编辑制度：%(t)s") % {"t": rule.title})


@login_required
@require_http_methods(["GET", "POST"])
def rule_finish(request: HttpRequest, pk: int) -> HttpResponse:
    rule = selectors.rule_get_visible(request.user, pk)
    require(rights.may_keep_records(scope_for(request.user), rule.unit_path))
    if rule.status != RuleStatus.PLANNED:
        raise Http404
    form = forms.RuleFinishForm(request.POST or None, initial={"version": rule.version})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if _run(form, lambda: services.rule_finish(actor=request.user, rule=rule, **data)):
            messages.success(request, _("已登记制度完成情况。"))
            return redirect("rectification:rules", rule.unit.code)
    return _rule_page(
        request,
        rule,
        form,
        _("登记完成：%(t)s（%(j)s）") % {"t": rule.title, "j": rule.get_judgement_display()},
    )


@login_required
def rule_history(request: HttpRequest, pk: int) -> HttpResponse:
    rule = selectors.rule_get_visible(request.user, pk)
    return render_history(request, rule, back_url=reverse("rectification:rules", args=[rule.unit.code]))


# --- public -------------------------------------------------------------------------


def public_list(request: HttpRequest, code: str) -> HttpResponse:
    """All published items of a unit, for anyone (the public page shows the first ones)."""
    unit = get_object_or_404(Unit, code=code, is_active=True)
    page = Paginator(selectors.public_items(unit), PAGE_SIZE).get_page(request.GET.get("page"))
    attach_ratings(selectors.attach_evidence_kinds(list(page.object_list)))
    return render(
        request,
        "rectification/public_list.html",
        {"unit": unit, "page_obj": page, "plans": list(selectors.public_plans(unit))},
    )
