from __future__ import annotations

from typing import Any

from django import forms
from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from campaign import clock
from campaign.apps import project_modules
from campaign.forms import DateInput, add_service_error
from campaign.views import render_history
from supervision import selectors, services
from supervision.choices import AccountabilityKind, CheckStatus, EvaluationGrade, SixNotLetGo
from supervision.evaluation import addressee_of, evaluation_figures, figure_rows, leaders_of, report_units
from supervision.models import Notification, RecordEvaluation
from supervision.monthly import may_request_monthly_report
from units.access import scope_for
from units.choices import OrgKind
from units.models import Organization, Person, Unit
from units.selectors import unit_get_visible

PAGE_SIZE = 50


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(fallback)


# --- notifications ------------------------------------------------------------


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.notifications_of(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "supervision/notifications.html", {"page_obj": page, "rows": page.object_list})


@login_required
@require_GET
def unread(request: HttpRequest) -> JsonResponse:
    """For the header badge, fetched after the page is shown (pages keep their query counts)."""
    return JsonResponse({"unread": selectors.unread_count(request.user)})


@login_required
@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(Notification, pk=pk, user=request.user)
    services.notification_read(actor=request.user, notification=notice)
    return redirect(notice.url or "supervision:notifications")


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    services.notifications_read_all(actor=request.user)
    return redirect("supervision:notifications")


# --- 催办 ------------------------------------------------------------------------


def urge_targets() -> dict[str, Any]:
    """Object kinds that can be urged, from every app's ``reminders.URGE_TARGETS``."""
    targets: dict[str, Any] = {}
    for module in project_modules("reminders"):
        targets.update(getattr(module, "URGE_TARGETS", {}))
    return targets


@login_required
@require_POST
def urge(request: HttpRequest) -> HttpResponse:
    kind, raw_id = request.POST.get("kind", ""), request.POST.get("id", "")
    target = urge_targets().get(kind)
    if target is None or not raw_id.isdigit():
        raise Http404
    found = target(int(raw_id))
    if found is None or not scope_for(request.user).reaches(found.unit_path):
        raise Http404
    try:
        services.urge(
            actor=request.user,
            object_key=f"{kind}:{raw_id}",
            unit_path=found.unit_path,
            recipients=found.recipients,
            title=found.title,
            url=found.url,
            note=request.POST.get("note", ""),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已催办，相关人员会在通知中看到。"))
    return _back(request, found.url or "home")


# --- the 督导组 workspace ------------------------------------------------------


@login_required
def workspace(request: HttpRequest) -> HttpResponse:
    groups = list(selectors.groups_of(request.user))
    if len(groups) == 1:
        return redirect("supervision:group", groups[0].pk)
    return render(request, "supervision/workspace.html", {"groups": groups})


@login_required
def group_workspace(request: HttpRequest, pk: int) -> HttpResponse:
    group = selectors.group_get_visible(request.user, pk)
    mine = request.GET.get("mine") == "1"
    return render(
        request,
        "supervision/group.html",
        {
            "group": group,
            "items": selectors.workload(group, only_user=request.user if mine else None),
            "mine": mine,
            "units": selectors.assigned_units(group),
            "members": group.memberships.select_related("person").order_by("role"),
        },
    )


class CheckForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("核查结果"), choices=CheckStatus.choices)
    note = forms.CharField(
        label=gettext_lazy("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


@login_required
def unit_checklist(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """The group's "六个不放过" checklist on one of its units."""
    group = selectors.group_get_visible(request.user, pk)
    unit = unit_get_visible(request.user, code)
    if not any(unit.path.startswith(u.path) for u in selectors.assigned_units(group)):
        raise Http404
    checks = selectors.checks_for(group, unit)
    error_item, error_form = "", None  # the posted form, shown again with its errors
    if request.method == "POST":
        item = request.POST.get("item", "")
        if item not in SixNotLetGo.values:
            raise Http404
        form = CheckForm(request.POST)
        if form.is_valid():
            try:
                services.unit_check_set(
                    actor=request.user, group=group, unit=unit, item=item, **form.cleaned_data
                )
            except (ValidationError, PermissionDenied) as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("已保存核查结果。"))
                return redirect("supervision:checklist", group.pk, unit.code)
        error_item, error_form = item, form
    rows = []
    for item, label in SixNotLetGo.choices:
        check = checks.get(item)
        initial = {"status": check.status, "note": check.note, "version": check.version} if check else {}
        shown = error_form if error_form is not None and item == error_item else CheckForm(initial=initial)
        rows.append({"item": item, "label": label, "check": check, "form": shown})
    return render(request, "supervision/checklist.html", {"group": group, "unit": unit, "rows": rows})


# --- notes, 约谈/问责, 听取汇报 --------------------------------------------------


@login_required
@require_POST
def note_add(request: HttpRequest) -> HttpResponse:
    label, raw_id = request.POST.get("record", ""), request.POST.get("id", "")
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError) as exc:
        raise Http404 from exc
    if not raw_id.isdigit():
        raise Http404
    record = get_object_or_404(model, pk=int(raw_id))
    unit = record if isinstance(record, Unit) else getattr(record, "unit", None)
    if not isinstance(unit, Unit) or not scope_for(request.user).reaches(unit.path):
        raise Http404
    try:
        services.note_add(actor=request.user, record=record, unit=unit, text=request.POST.get("text", ""))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
    else:
        messages.success(request, _("督导记录已保存。"))
    return _back(request, unit.get_absolute_url())


class AccountabilityForm(forms.Form):
    person = forms.ModelChoiceField(label=gettext_lazy("被约谈（问责）人"), queryset=Person.objects.none())
    kind = forms.ChoiceField(label=gettext_lazy("类型"), choices=AccountabilityKind.choices)
    date = forms.DateField(label=gettext_lazy("日期"), widget=DateInput())
    reason = forms.CharField(
        label=gettext_lazy("事由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    outcome = forms.CharField(
        label=gettext_lazy("结果"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(posts__unit=unit).distinct()  # type: ignore[attr-defined]


@login_required
def accountability(request: HttpRequest, code: str) -> HttpResponse:
    unit = unit_get_visible(request.user, code)
    can_record = scope_for(request.user).can_manage(unit.path)
    form = AccountabilityForm(request.POST or None, unit=unit)
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied(_("只有活动办可以登记约谈和问责。"))
        if form.is_valid():
            try:
                services.accountability_record(actor=request.user, unit=unit, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("已登记。"))
                return redirect("supervision:accountability", unit.code)
    return render(
        request,
        "supervision/accountability.html",
        {
            "unit": unit,
            "records": selectors.accountability_under(request.user, unit),
            "form": form,
            "can_record": can_record,
        },
    )


class HearingForm(forms.Form):
    date = forms.DateField(label=gettext_lazy("听取汇报日期"), widget=DateInput())
    reporters = forms.CharField(
        label=gettext_lazy("汇报人（一行一人）"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    notes = forms.CharField(
        label=gettext_lazy("主要内容和要求"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )


@login_required
def hearings(request: HttpRequest, code: str) -> HttpResponse:
    unit = unit_get_visible(request.user, code)
    form = HearingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.hearing_record(actor=request.user, unit=unit, **form.cleaned_data)
        except PermissionDenied:
            raise
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("已登记听取汇报情况。"))
            return redirect("supervision:hearings", unit.code)
    return render(
        request,
        "supervision/hearings.html",
        {"unit": unit, "records": selectors.hearings_of(unit), "form": form},
    )


# --- documents: 月度工作进展报告 ---------------------------------------------------


class MonthForm(forms.Form):
    month = forms.CharField(
        label=gettext_lazy("月份"),
        widget=forms.TextInput(attrs={"type": "month"}),
        error_messages={"required": gettext_lazy("请选择月份。")},
    )

    def clean_month(self) -> tuple[int, int]:
        raw = self.cleaned_data["month"].strip()
        try:
            year, month = (int(part) for part in raw.split("-", 1))
        except ValueError:
            raise ValidationError(_("月份格式应为“2014-06”。")) from None
        return year, month


@login_required
def monthly_report(request: HttpRequest, code: str) -> HttpResponse:
    """Ask for a unit's 月度工作进展报告; it is written in the background (jobs centre)."""
    unit = unit_get_visible(request.user, code)
    if not may_request_monthly_report(request.user, unit):
        raise Http404
    today = clock.today()
    form = MonthForm(request.POST or None, initial={"month": f"{today:%Y-%m}"})
    if request.method == "POST" and form.is_valid():
        year, month = form.cleaned_data["month"]
        try:
            job = services.monthly_report_start(actor=request.user, unit=unit, year=year, month=month)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            return redirect("job", job.pk)
    return render(request, "supervision/monthly_report.html", {"unit": unit, "form": form})


# --- 纪实评价 ---------------------------------------------------------------------


class EvaluationForm(forms.Form):
    grade = forms.ChoiceField(
        label=gettext_lazy("班子评价等次"), choices=[("", "—"), *EvaluationGrade.choices], required=False
    )
    text = forms.CharField(
        label=gettext_lazy("班子评价意见"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=10000,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class LeaderForm(forms.Form):
    grade = forms.ChoiceField(
        label=gettext_lazy("评价等次"), choices=[("", "—"), *EvaluationGrade.choices], required=False
    )
    text = forms.CharField(
        label=gettext_lazy("评价意见"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )


def _supervision_group(pk: int) -> Organization:
    return get_object_or_404(
        Organization.objects.select_related("unit"), pk=pk, kind=OrgKind.SUPERVISION_GROUP
    )


@login_required
def evaluation(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """The group's 纪实评价 of one assigned unit: figures from the record, grades, written text."""
    group = _supervision_group(pk)
    unit = unit_get_visible(request.user, code)
    can_write = selectors.may_write_evaluation(request.user, group, unit)
    if not selectors.assigned_to(group, unit) or not (
        can_write or selectors.may_read_evaluation(request.user, group, unit)
    ):
        raise Http404
    record = RecordEvaluation.objects.filter(group=group, unit=unit).prefetch_related("leaders").first()
    posts = leaders_of(unit)
    saved = {row.person_id: row for row in record.leaders.all()} if record else {}
    if record is not None and record.locked:
        body_figures = record.figures
        leader_figures = {row.person_id: row.figures for row in saved.values()}
    else:
        body_figures, leader_figures = evaluation_figures(unit, [p.person_id for p in posts])
    data = request.POST if request.method == "POST" else None
    form = EvaluationForm(
        data,
        initial={"grade": record.grade, "text": record.text, "version": record.version} if record else {},
    )
    leader_forms = [
        (
            post,
            LeaderForm(
                data,
                prefix=f"p{post.person_id}",
                initial={"grade": saved[post.person_id].grade, "text": saved[post.person_id].text}
                if post.person_id in saved
                else {},
            ),
        )
        for post in posts
    ]
    if data is not None:
        if not can_write or (record is not None and record.locked):
            raise PermissionDenied(_("纪实评价已提交或您无权填写。"))
        if form.is_valid() and all(f.is_valid() for _post, f in leader_forms):
            submit = request.POST.get("action") == "submit"
            try:
                services.record_evaluation_save(
                    actor=request.user,
                    group=group,
                    unit=unit,
                    grade=form.cleaned_data["grade"],
                    text=form.cleaned_data["text"],
                    leaders=[
                        services.LeaderInput(post.person_id, f.cleaned_data["grade"], f.cleaned_data["text"])
                        for post, f in leader_forms
                    ],
                    submit=submit,
                    version=form.cleaned_data["version"],
                )
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("纪实评价已提交。") if submit else _("纪实评价已保存。"))
                return redirect("supervision:evaluation", group.pk, unit.code)
    return render(
        request,
        "supervision/evaluation.html",
        {
            "group": group,
            "unit": unit,
            "record": record,
            "form": form,
            "leaders": [
                {
                    "post": post,
                    "form": f,
                    "figures": figure_rows(leader_figures.get(post.person_id, {}), True),
                }
                for post, f in leader_forms
            ],
            "body_figures": figure_rows(body_figures),
            "can_write": can_write and not (record is not None and record.locked),
        },
    )


@login_required
def evaluations(request: HttpRequest, pk: int) -> HttpResponse:
    """A group's 纪实评价 of all its units, and the report to the upper 组织部."""
    group = _supervision_group(pk)
    if not selectors.may_report_evaluations(request.user, group):
        raise Http404
    if request.method == "POST":
        job = services.evaluation_report_start(actor=request.user, group=group)
        return redirect("job", job.pk)
    return render(
        request,
        "supervision/evaluations.html",
        {"group": group, "rows": report_units(group), "addressee": addressee_of(group)},
    )


@login_required
def evaluation_history(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    group = _supervision_group(pk)
    unit = unit_get_visible(request.user, code)
    if not selectors.may_read_evaluation(request.user, group, unit):
        raise Http404
    record = get_object_or_404(RecordEvaluation, group=group, unit=unit)
    return render_history(
        request,
        record,
        back_url=reverse("supervision:evaluation", args=[group.pk, unit.code]),
        skip=("figures",),
    )
