from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from campaign.forms import add_service_error
from campaign.pages import public_sections, unit_panels
from campaign.selectors import jobs_of
from campaign.tabular import write_csv, write_xlsx
from campaign.views import render_history
from units import selectors, services
from units.access import require, scope_for
from units.choices import Role, UnitKind
from units.exports import EXPORTS
from units.forms import (
    ImportForm,
    PersonForm,
    PostCreateForm,
    PostEndForm,
    PostUpdateForm,
    UnitCreateForm,
    UnitForm,
)
from units.imports import IMPORT_KINDS
from units.models import Unit

PAGE_SIZE = 50


@login_required
def browse(request: HttpRequest) -> HttpResponse:
    """The unit tree from the user's top units down, or search results by name and code."""
    query = request.GET.get("q", "").strip()[:50]
    if query:
        page = Paginator(selectors.unit_search(request.user, query), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        return render(
            request, "units/browse.html", {"query": query, "page_obj": page, "results": page.object_list}
        )
    roots = list(selectors.unit_roots_for(request.user))
    return render(request, "units/browse.html", {"roots": roots, "query": ""})


@login_required
def children_fragment(request: HttpRequest, code: str) -> HttpResponse:
    """The children of one unit as a tree fragment, loaded when a branch is opened."""
    unit = selectors.unit_get_visible(request.user, code)
    return render(request, "units/_tree_children.html", {"children": selectors.unit_children(unit)})


@login_required
def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    unit = selectors.unit_get_visible(request.user, code)
    scope = scope_for(request.user)
    show_past = request.GET.get("past") == "1"
    posts = (
        list(selectors.posts_of_unit(unit, include_past=True))
        if show_past
        else [p for p in selectors.seated_posts(request, unit) if p.unit_id == unit.pk]
    )
    return render(
        request,
        "units/unit_detail.html",
        {
            "unit": unit,
            # Ancestors outside the scope are shown by name only (the breadcrumb of a county
            # office still says which city it is in), never linked.
            "ancestors": [(a, scope.reaches(a.path)) for a in selectors.unit_ancestors(unit)],
            "posts": posts,
            "post_rows": selectors.post_rows(posts),
            "show_past": show_past,
            "organizations": selectors.organization_rows(selectors.organizations_of_unit(unit), unit),
            "contact_points": selectors.contact_points_of_unit(unit),
            "children": selectors.unit_children_rows(unit),
            "can_manage": scope.can_manage(unit.path),
            "my_roles": sorted(str(Role(r).label) for r in scope.roles_on(unit.path)),
            "panels": unit_panels(request, unit),
        },
    )


def public_unit(request: HttpRequest, code: str) -> HttpResponse:
    """A unit's public page: no account needed; shows only what was published."""
    unit = get_object_or_404(Unit, code=code, is_active=True)
    return render(request, "units/public_unit.html", {"unit": unit, "sections": public_sections(unit)})


@login_required
def unit_history(request: HttpRequest, code: str) -> HttpResponse:
    unit = selectors.unit_get_visible(request.user, code)
    return render_history(request, unit, back_url=unit.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def unit_edit(request: HttpRequest, code: str) -> HttpResponse:
    unit = selectors.unit_get_visible(request.user, code)
    require(scope_for(request.user).can_manage(unit.path))
    initial = {"name": unit.name, "code": unit.code, "is_active": unit.is_active, "version": unit.version}
    form = UnitForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            unit = services.unit_update(
                actor=request.user,
                unit=unit,
                version=data["version"],
                name=data["name"],
                code=data["code"],
                is_active=data["is_active"],
            )
        except (ValidationError, PermissionDenied) as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("单位信息已保存。"))
            return redirect(unit)
    return render(request, "units/form.html", {"form": form, "unit": unit, "title": _("编辑单位")})


@login_required
@require_http_methods(["GET", "POST"])
def unit_add_child(request: HttpRequest, code: str) -> HttpResponse:
    parent = selectors.unit_get_visible(request.user, code)
    require(scope_for(request.user).can_manage(parent.path))
    form = UnitCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            child = services.unit_create(actor=request.user, parent=parent, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("已添加下级单位“%(name)s”。") % {"name": child.name})
            return redirect(child)
    return render(
        request,
        "units/form.html",
        {"form": form, "unit": parent, "title": _("添加下级单位"), "kinds": UnitKind.choices},
    )


@login_required
@require_http_methods(["GET", "POST"])
def post_add(request: HttpRequest, code: str) -> HttpResponse:
    unit = selectors.unit_get_visible(request.user, code)
    require(scope_for(request.user).can_manage(unit.path))
    form = PostCreateForm(request.POST or None, initial={"start_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.post_create(
                actor=request.user,
                person=data["person_code"],
                unit=unit,
                title=data["title"],
                role=data["role"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                sort_order=data["sort_order"],
                oversees=data["oversees"],
            )
        except (ValidationError, PermissionDenied) as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("任职已登记。"))
            return redirect(unit)
    return render(request, "units/form.html", {"form": form, "unit": unit, "title": _("登记任职")})


@login_required
@require_http_methods(["GET", "POST"])
def post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.post_get_visible(request.user, pk)
    require(scope_for(request.user).can_manage(post.unit.path))
    initial = {
        "title": post.title,
        "role": post.role,
        "sort_order": post.sort_order,
        "end_date": post.end_date,
        "oversees": "、".join(u.code for u in post.oversees.all()),
        "version": post.version,
    }
    form = PostUpdateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.post_update(actor=request.user, post=post, **data)
        except (ValidationError, PermissionDenied) as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("职务已保存。"))
            return redirect(post.unit)
    title = _("编辑职务：%(person)s") % {"person": post.person}
    return render(request, "units/form.html", {"form": form, "unit": post.unit, "title": title})


@login_required
@require_http_methods(["GET", "POST"])
def post_end(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.post_get_visible(request.user, pk)
    require(scope_for(request.user).can_manage(post.unit.path))
    form = PostEndForm(
        request.POST or None, initial={"end_date": timezone.localdate(), "version": post.version}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.post_end(actor=request.user, post=post, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("已办理免职，原任职记录保留在历史中。"))
            return redirect(post.unit)
    title = _("免职：%(person)s（%(title)s）") % {"person": post.person, "title": post.title}
    return render(request, "units/form.html", {"form": form, "unit": post.unit, "title": title})


@login_required
def post_history(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.post_get_visible(request.user, pk)
    return render_history(request, post, back_url=post.unit.get_absolute_url())


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_get_visible(request.user, pk)
    scope = scope_for(request.user)
    posts = list(selectors.person_posts(request.user, person))
    return render(
        request,
        "units/person_detail.html",
        {
            "person": person,
            "posts": posts,
            "memberships": selectors.person_memberships(request.user, person),
            "can_edit": scope.is_superuser or any(scope.can_manage(p.unit.path) for p in posts),
        },
    )


@login_required
def person_history(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_get_visible(request.user, pk)
    return render_history(request, person, back_url=person.get_absolute_url(), skip=("user",))


@login_required
@require_http_methods(["GET", "POST"])
def person_add(request: HttpRequest) -> HttpResponse:
    services.require_person_editor(request.user, None)  # no form for those who may not save it
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        data.pop("version", None)
        try:
            person = services.person_create(actor=request.user, **data)
        except (ValidationError, PermissionDenied) as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("人员已登记，编码 %(code)s。") % {"code": person.code})
            return redirect(request.GET.get("next") or person.get_absolute_url())
    return render(request, "units/form.html", {"form": form, "title": _("登记人员")})


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_get_visible(request.user, pk)
    services.require_person_editor(request.user, person)  # seen, but not to be changed: 403
    initial = {
        "name": person.name,
        "code": person.code,
        "rank": person.rank,
        "phone": person.phone,
        "version": person.version,
    }
    form = PersonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(actor=request.user, person=person, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("人员信息已保存。"))
            return redirect(person)
    return render(
        request, "units/form.html", {"form": form, "title": _("编辑人员：%(name)s") % {"name": person}}
    )


@login_required
def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = selectors.organization_get_visible(request.user, pk)
    return render(
        request,
        "units/organization_detail.html",
        {
            "org": org,
            "memberships": org.memberships.select_related("person").order_by(
                "end_date", "role", "person__name"
            ),
            "assignments": org.assignments.select_related("unit").order_by("unit__path"),
        },
    )


@login_required
def organization_history(request: HttpRequest, pk: int) -> HttpResponse:
    org = selectors.organization_get_visible(request.user, pk)
    return render_history(request, org, back_url=org.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    can_import = scope_for(request.user).is_office_staff
    if request.method == "POST":
        require(can_import, _("只有活动办工作人员可以导入数据。"))
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.import_start(
                actor=request.user,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
                skip_errors=form.cleaned_data["skip_errors"],
            )
        except PermissionDenied as exc:
            add_service_error(form, exc)
        else:
            messages.info(request, _("文件已上传，正在后台导入。"))
            return redirect("job", job.pk)
    return render(
        request,
        "units/import.html",
        {
            "form": form,
            "can_import": can_import,
            "kinds": IMPORT_KINDS,
            "jobs": jobs_of(request.user)[:10],
            "roots": selectors.unit_roots_for(request.user),
            "exports": EXPORTS,
        },
    )


@login_required
def export(request: HttpRequest, code: str) -> HttpResponseBase:
    """Units, people or posts of a subtree, as .xlsx or .csv in the import layout."""
    unit = selectors.unit_get_visible(request.user, code)
    what = request.GET.get("what", "units")
    if what not in EXPORTS:
        what = "units"
    label, build = EXPORTS[what]
    header, rows = build(request.user, unit)
    filename = f"{unit.code}-{what}-{timezone.localdate():%Y%m%d}"
    if request.GET.get("format") == "csv":
        stream = StreamingHttpResponse(write_csv(header, rows), content_type="text/csv; charset=utf-8")
        stream["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        return stream
    content = write_xlsx(str(label), header, rows)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
