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
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from campaign.apps import project_modules
from campaign.forms import DateInput, add_service_error
from supervision import selectors, services
from supervision.choices import AccountabilityKind, CheckStatus, SixNotLetGo
from supervision.models import Notification
from units.access import scope_for
from units.models import Person, Unit
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
