"""Pages of the reference corpus (比对文本库). The report itself is shown on the material pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from campaign.forms import add_service_error
from campaign.views import render_history
from materials.copycheck import selectors, services
from materials.copycheck.forms import ReferenceEditForm, ReferenceUploadForm, ReferenceWithdrawForm
from units.access import require, scope_for

PAGE_SIZE = 50


def _require_office(request: HttpRequest) -> None:
    require(scope_for(request.user).is_office_staff, _("只有活动办可以管理比对文本库。"))


@login_required
def reference_list(request: HttpRequest) -> HttpResponse:
    """比对文本库: every reference text, newest first."""
    _require_office(request)
    status = request.GET.get("status", "")
    references = selectors.references_visible_to(request.user).order_by("-uploaded_at", "-pk")
    if status in ("active", "withdrawn"):
        references = references.filter(status=status)
    page = Paginator(references, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "materials/copycheck/reference_list.html",
        {"page_obj": page, "references": page.object_list, "status": status},
    )


@login_required
@require_http_methods(["GET", "POST"])
def reference_upload(request: HttpRequest) -> HttpResponse:
    _require_office(request)
    form = ReferenceUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            reference = services.reference_text_upload(
                actor=request.user,
                title=data["title"],
                source_note=data["source_note"],
                upload=data.get("file"),
                text=data.get("text") or "",
            )
        except (ValidationError, PermissionDenied) as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("比对文本已上传，今后提交的材料都会与它比对。"))
            return redirect(reference)
    return render(request, "materials/copycheck/reference_upload.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def reference_detail(request: HttpRequest, pk: int) -> HttpResponse:
    reference = selectors.reference_get_visible(request.user, pk)
    can_manage = services.can_manage_reference(request.user, reference)
    data = request.POST if request.method == "POST" else None
    initial = {"title": reference.title, "source_note": reference.source_note, "version": reference.version}
    form = ReferenceEditForm(data, initial=initial)
    if data is not None:
        require(can_manage, _("只有上传单位的活动办可以修改这份比对文本。"))
        if form.is_valid():
            try:
                services.reference_text_update(
                    actor=request.user,
                    reference=reference,
                    title=form.cleaned_data["title"],
                    source_note=form.cleaned_data["source_note"],
                    version=form.cleaned_data["version"],
                )
            except (ValidationError, PermissionDenied) as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("已保存。"))
                return redirect(reference)
    return render(
        request,
        "materials/copycheck/reference_detail.html",
        {
            "reference": reference,
            "form": form,
            "withdraw_form": ReferenceWithdrawForm(initial={"version": reference.version}),
            "can_manage": can_manage,
        },
    )


@login_required
@require_POST
def reference_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    reference = selectors.reference_get_visible(request.user, pk)
    form = ReferenceWithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请说明撤回原因。"))
        return redirect(reference)
    try:
        services.reference_text_withdraw(
            actor=request.user,
            reference=reference,
            reason=form.cleaned_data["reason"],
            version=form.cleaned_data["version"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已撤回：今后提交的材料不再与它比对，记录保留。"))
    return redirect(reference)


@login_required
def reference_history(request: HttpRequest, pk: int) -> HttpResponse:
    reference = selectors.reference_get_visible(request.user, pk)
    return render_history(request, reference, back_url=reference.get_absolute_url())
