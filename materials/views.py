from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from campaign import clock
from campaign.forms import add_service_error
from campaign.views import render_history
from materials import review as engine
from materials import sections, selectors, services
from materials.chains import build_subject
from materials.choices import MaterialKind, MaterialStatus
from materials.copycheck.selectors import copy_view, with_copy_share
from materials.exports import material_to_docx
from materials.forms import (
    DecisionForm,
    DocxForm,
    MaterialForm,
    ReassignForm,
    content_from_forms,
    example_formsets,
    measure_formset,
)
from materials.models import Material, ReviewStep
from units.access import require, scope_for
from units.models import Person, Unit
from units.selectors import unit_get_visible

PAGE_SIZE = 50


@login_required
def my_materials(request: HttpRequest) -> HttpResponse:
    """我的对照检查材料: what I must write, in each unit where I lead or sit."""
    scope = scope_for(request.user)
    units = Unit.objects.filter(pk__in=[g.unit_id for g in scope.grants if g.role in ("principal", "member")])
    required = []
    for unit in units:
        for entry in selectors.required_materials(unit):
            mine = (entry.person is not None and entry.person.pk == scope.person_id) or (
                entry.person is None
                and entry.material is not None
                and entry.material.author_id == scope.person_id
            )
            principal_of_unit = entry.person is None and any(
                g.role == "principal" and g.unit_id == unit.pk for g in scope.grants
            )
            if mine or principal_of_unit:
                required.append((unit, entry))
    drafted = (
        selectors.materials_visible_to(request.user).filter(author_id=scope.person_id).select_related("unit")
    )
    return render(
        request,
        "materials/my_materials.html",
        {"required": required, "drafted": drafted, "inbox_count": selectors.inbox(request.user).count()},
    )


@login_required
@require_POST
def material_start(request: HttpRequest) -> HttpResponse:
    unit = unit_get_visible(request.user, request.POST.get("unit", ""))
    person_id = request.POST.get("person")
    person = get_object_or_404(Person, pk=person_id) if person_id else None
    kind = request.POST.get("kind", "")
    if kind not in MaterialKind.values:
        raise Http404
    campaign = unit_campaign(unit)
    try:
        material = services.material_start(
            actor=request.user, campaign=campaign, unit=unit, kind=kind, subject_person=person
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(unit)
    return redirect("materials:edit", material.pk)


def unit_campaign(unit: Unit) -> Any:
    from campaign.models import Campaign

    paths = [*unit.ancestor_paths(), unit.path]
    campaign = Campaign.objects.filter(root_unit__path__in=paths).order_by("-start_date").first()
    if campaign is None:
        raise Http404
    return campaign


@login_required
def material_detail(request: HttpRequest, pk: int) -> HttpResponse:
    material = selectors.material_get_visible(request.user, pk)
    review = material.review
    editable = selectors.can_edit(request.user, material)
    version = selectors.latest_version(material)
    step = selectors.open_step_for(request.user, review)
    scope = scope_for(request.user)
    versions = list(material.versions.order_by("-number").values("number", "submitted_at"))
    return render(
        request,
        "materials/material_detail.html",
        {
            "material": material,
            "review": review,
            "version": version,
            "versions": versions,
            "content": version.content if version else None,
            "sections": list(sections.sections_text(version.content)) if version else [],
            "steps": selectors.review_steps(review),
            "trail": selectors.review_trail(review),
            "editable": editable and material.editable,
            "decision_step": step,
            "decision_form": DecisionForm(
                step_kind=step.kind, initial={"review_version": review.version, "opinion": _("同意。")}
            )
            if step and review
            else None,
            "can_manage": scope.can_manage(material.unit_path),
            "publishable": services.publishable(material),
            "problems": sections.problems(version.content) if version else [],
            "copy": copy_view(request.user, material, version),  # 雷同检测, for reviewers
        },
    )


def _editor_context(
    material: Material, form: Any, examples: Any, measures: Any, docx_form: Any
) -> dict[str, Any]:
    return {
        "material": material,
        "form": form,
        "examples": [(key, label, examples[key]) for key, label in sections.PROBLEM_PARTS if key in examples],
        "measures": measures,
        "docx_form": docx_form,
        "hints": sections.hints(material.draft, material.kind),
        "winds": sections.WINDS,
    }


@login_required
@require_http_methods(["GET", "POST"])
def material_edit(request: HttpRequest, pk: int) -> HttpResponse:
    material = selectors.material_get_visible(request.user, pk)
    require(selectors.can_edit(request.user, material), _("只有撰写人可以修改这份材料。"))
    if not material.editable:
        messages.info(request, _("材料在审核中或已审核通过，不能修改。"))
        return redirect(material)
    content = sections.normalise(material.draft, material.has_body_parts)
    data = request.POST if request.method == "POST" else None
    form = MaterialForm(
        data,
        with_body_parts=material.has_body_parts,
        initial=MaterialForm.initial_from(content, material.version),
    )
    examples = example_formsets(data, content)
    measures = measure_formset(data, content)
    if data is not None:
        valid = form.is_valid() and all(f.is_valid() for f in examples.values()) and measures.is_valid()
        if valid:
            try:
                material = services.material_save_draft(
                    actor=request.user,
                    material=material,
                    content=content_from_forms(form, examples, measures),
                    version=form.cleaned_data["version"],
                )
            except (ValidationError, PermissionDenied) as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("草稿已保存。"))
                if "check" in request.POST:
                    return redirect("materials:submit", material.pk)
                return redirect("materials:edit", material.pk)
    return render(
        request,
        "materials/material_edit.html",
        _editor_context(material, form, examples, measures, DocxForm(initial={"version": material.version})),
    )


@login_required
@require_POST
def material_upload_docx(request: HttpRequest, pk: int) -> HttpResponse:
    material = selectors.material_get_visible(request.user, pk)
    form = DocxForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            material, notes = services.material_import_docx(
                actor=request.user,
                material=material,
                upload=form.cleaned_data["file"],
                version=form.cleaned_data["version"],
            )
        except (ValidationError, PermissionDenied) as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("已从 Word 文件读取内容，请逐段核对。"))
            for note in notes:
                messages.warning(request, note)
            return redirect("materials:edit", material.pk)
    for errors in form.errors.values():
        messages.error(request, " ".join(str(e) for e in errors))
    return redirect("materials:edit", material.pk)


@login_required
@require_http_methods(["GET", "POST"])
def material_submit(request: HttpRequest, pk: int) -> HttpResponse:
    material = selectors.material_get_visible(request.user, pk)
    require(selectors.can_edit(request.user, material), _("只有撰写人可以提交这份材料。"))
    error = ""
    if request.method == "POST":
        try:
            services.material_submit(
                actor=request.user, material=material, version=int(request.POST.get("version", 0) or 0)
            )
        except (ValidationError, PermissionDenied) as exc:
            error = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        else:
            messages.success(request, _("材料已提交审核。"))
            return redirect(material)
    plan: list[Any] = []
    template = None
    if material.editable:
        subject = build_subject(
            campaign_id=material.campaign_id,
            unit=material.unit,
            author=material.author,
            is_body=material.is_body,
            material_kind=material.kind,
        )
        try:
            template = (
                material.review.template if material.review else engine.select_template("material", subject)
            )
            start = 1
            if material.review and material.review.template.reentry == "returning_step":
                start = material.review.returned_at_order or 1
            plan = engine.template_plan(template, subject, start)
        except ValidationError as exc:
            error = error or " ".join(exc.messages)
    return render(
        request,
        "materials/material_submit.html",
        {
            "material": material,
            "hints": sections.hints(
                sections.normalise(material.draft, material.has_body_parts), material.kind
            ),
            "plan": plan,
            "template": template,
            "error": error,
        },
    )


@login_required
def material_version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    material = selectors.material_get_visible(request.user, pk)
    version = get_object_or_404(material.versions, number=number)
    return render(
        request,
        "materials/material_version.html",
        {
            "material": material,
            "version": version,
            "sections": list(sections.sections_text(version.content)),
            "copy": copy_view(request.user, material, version),
        },
    )


@login_required
def material_compare(request: HttpRequest, pk: int) -> HttpResponse:
    material = selectors.material_get_visible(request.user, pk)
    numbers = list(material.versions.order_by("number").values_list("number", flat=True))
    if len(numbers) < 2:
        messages.info(request, _("这份材料只有一个版本，无可比较。"))
        return redirect(material)
    try:
        left_no = int(request.GET.get("a") or numbers[-2])
        right_no = int(request.GET.get("b") or numbers[-1])
    except ValueError as exc:
        raise Http404 from exc
    left = get_object_or_404(material.versions, number=left_no)
    right = get_object_or_404(material.versions, number=right_no)
    return render(
        request,
        "materials/material_compare.html",
        {
            "material": material,
            "left": left,
            "right": right,
            "numbers": numbers,
            "diffs": sections.compare(left.content, right.content),
        },
    )


@login_required
@require_POST
def step_act(request: HttpRequest, pk: int, step_id: int) -> HttpResponse:
    material = selectors.material_get_visible(request.user, pk)
    step = get_object_or_404(ReviewStep, pk=step_id, review=material.review)
    if step.is_open:
        engine.require_reviewer(request.user, step)
    form = DecisionForm(request.POST, step_kind=step.kind)
    if form.is_valid():
        data = form.cleaned_data
        try:
            engine.review_step_act(
                actor=request.user,
                step=step,
                decision=engine.Decision(data["action"], data["opinion"], tuple(data.get("checklist") or ())),
                review_version=data["review_version"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("已办理：%(step)s。") % {"step": step.name})
            return redirect("materials:inbox")
    else:
        messages.error(
            request, _("请填写审核意见。") if "opinion" in form.errors else _("提交的内容不完整，请重试。")
        )
    return redirect(material)


@login_required
@require_http_methods(["GET", "POST"])
def step_reassign(request: HttpRequest, pk: int, step_id: int) -> HttpResponse:
    material = selectors.material_get_visible(request.user, pk)
    step = get_object_or_404(ReviewStep, pk=step_id, review=material.review)
    require(scope_for(request.user).can_manage(material.unit_path), _("只有活动办可以调整审核人。"))
    form = ReassignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            engine.review_step_reassign(
                actor=request.user,
                step=step,
                people=form.cleaned_data["person_codes"],
                reason=form.cleaned_data["reason"],
            )
        except (ValidationError, PermissionDenied) as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("已调整审核人。"))
            return redirect(material)
    return render(request, "materials/step_reassign.html", {"material": material, "step": step, "form": form})


@login_required
@require_POST
def material_publish(request: HttpRequest, pk: int) -> HttpResponse:
    material = selectors.material_get_visible(request.user, pk)
    publish = request.POST.get("publish") != "0"
    try:
        services.material_publish(actor=request.user, material=material, publish=publish)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已在单位公开页面公示。") if publish else _("已撤下公示。"))
    return redirect(material)


@login_required
def material_export(request: HttpRequest, pk: int) -> HttpResponse:
    material = selectors.material_get_visible(request.user, pk)
    version = selectors.latest_version(material)
    if version is None:
        messages.info(request, _("材料尚未提交，没有可导出的版本。"))
        return redirect(material)
    content = material_to_docx(material, version, selectors.review_trail(material.review))
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response["Content-Disposition"] = f'attachment; filename="material-{material.pk}-v{version.number}.docx"'
    return response


@login_required
def material_history(request: HttpRequest, pk: int) -> HttpResponse:
    material = selectors.material_get_visible(request.user, pk)
    return render_history(request, material, back_url=material.get_absolute_url())


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """待我审核: open steps waiting for me, oldest first."""
    paginator = Paginator(with_copy_share(selectors.inbox_rows(request.user)), PAGE_SIZE)
    # Counted on the reviewer rows alone: the share's joins to the step and review change nothing.
    paginator.count = selectors.inbox(request.user).count()
    page = paginator.get_page(request.GET.get("page"))
    now = clock.now()
    subject_url = engine.subject_url_maker()
    for row in page.object_list:
        days_waiting = (now - row["opened_at"]).days
        # Translated here rather than by {% blocktranslate %} in the row: same message, a
        # fraction of the cost for 50 rows.
        row["waiting_label"] = ngettext("%(days)s 天", "%(days)s 天", days_waiting) % {"days": days_waiting}
        due = row["due_at"]
        row["overdue"] = bool(due and due < now)
        # What |date:"m-d" printed, in the current time zone, without the filter's machinery.
        row["due_text"] = f"{timezone.localtime(due):%m-%d}" if due else ""
        row["url"] = subject_url(row["subject_kind"], row["subject_id"])
    return render(request, "materials/inbox.html", {"page_obj": page, "rows": page.object_list})


@login_required
def office_overview(request: HttpRequest, code: str) -> HttpResponse:
    """Every material under a unit by state and step, with stuck steps first."""
    root = unit_get_visible(request.user, code)
    status = request.GET.get("status", "")
    status = status if status in MaterialStatus.values else ""
    kind = request.GET.get("kind", "")
    kind = kind if kind in MaterialKind.values else ""
    page = Paginator(selectors.materials_under(request.user, root, status, kind), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    open_steps = selectors.open_steps_by_review([m.review_id for m in page.object_list if m.review_id])
    for material in page.object_list:
        material.open_steps = open_steps.get(material.review_id, [])
    now = clock.now()
    counts = selectors.material_counts(request.user, root)
    stuck = list(selectors.steps_under(request.user, root).filter(unresolved=True)[:20]) + list(
        selectors.steps_under(request.user, root).filter(unresolved=False, due_at__lt=now)[:30]
    )
    return render(
        request,
        "materials/office_overview.html",
        {
            "root": root,
            "status_counts": [
                (value, label, counts.get(value, 0)) for value, label in MaterialStatus.choices
            ],
            "statuses": MaterialStatus.choices,
            "kinds": MaterialKind.choices,
            "status": status,
            "kind": kind,
            "page_obj": page,
            "materials": page.object_list,
            "stuck": stuck,
            "now": now,
            "can_manage": scope_for(request.user).can_manage(root.path),
        },
    )
