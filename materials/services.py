"""Writes on 对照检查材料: start, draft, submit, publish; the review itself is in materials.review."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from campaign import clock
from campaign.audit import acting_as
from campaign.models import Campaign
from campaign.services import check_version, save_validated
from materials import review as engine
from materials import sections
from materials.choices import MaterialKind, MaterialStatus, SubjectKind
from materials.copycheck.services import copy_check_request
from materials.models import Material, MaterialProblem, MaterialVersion, Review
from materials.selectors import can_edit, materials_visible_to, required_materials
from units.access import require, scope_for
from units.choices import PostRole, UnitKind
from units.models import Person, Post, Unit


def _title(unit: Unit, kind: str, person: Person | None) -> str:
    if person is None:
        if kind == MaterialKind.BRIEF:
            return _("%(unit)s党组织简要对照检查材料") % {"unit": unit.name}
        return _("%(unit)s领导班子对照检查材料") % {"unit": unit.name}
    if kind == MaterialKind.BRIEF:
        return _("%(name)s同志简要对照检查材料") % {"name": person.name}
    return _("%(name)s同志个人对照检查材料") % {"name": person.name}


@transaction.atomic
def material_start(
    *, actor: Any, campaign: Campaign, unit: Unit, kind: str, subject_person: Person | None
) -> Material:
    """Open a required material for writing.

    A personal material is written by the member himself ("党员领导干部必须自己动手撰写");
    a 班子 material is drafted under the unit's principal, who may add drafters.
    """
    person_id = scope_for(actor).person_id
    required = {(r.kind, r.person.pk if r.person else None): r for r in required_materials(unit)}
    entry = required.get((kind, subject_person.pk if subject_person else None))
    if entry is None:
        raise ValidationError(_("该单位不需要撰写这份材料。"))
    if entry.material is not None:
        return entry.material
    if subject_person is not None:
        require(person_id == subject_person.pk, _("个人对照检查材料须由本人撰写。"))
        author = subject_person
    else:
        principal = Post.objects.active(clock.today()).filter(unit=unit, role=PostRole.PRINCIPAL).first()
        require(
            principal is not None and principal.person_id == person_id,
            _("班子对照检查材料由主要负责同志主持起草。"),
        )
        author = principal.person  # type: ignore[union-attr]
    material = Material(
        campaign=campaign,
        unit=unit,
        unit_path=unit.path,
        kind=kind,
        subject_person=subject_person,
        author=author,
        title=_title(unit, kind, subject_person),
        draft=sections.empty_content(kind == MaterialKind.BODY),
    )
    save_validated(material, actor=actor)
    return material


def _lock_for_editing(actor: Any, material: Material, version: int | None) -> Material:
    material = Material.objects.select_for_update(of=("self",)).select_related("unit").get(pk=material.pk)
    require(can_edit(actor, material), _("只有撰写人（及其指定的起草人）可以修改这份材料。"))
    check_version(material, version)
    if not material.editable:
        raise ValidationError(_("材料在审核中或已审核通过，不能修改。"))
    return material


@transaction.atomic
def material_save_draft(*, actor: Any, material: Material, content: Any, version: int | None) -> Material:
    material = _lock_for_editing(actor, material, version)
    material.draft = sections.normalise(content, material.has_body_parts)
    save_validated(material, actor=actor, update_fields=["draft"])
    return material


@transaction.atomic
def material_import_docx(
    *, actor: Any, material: Material, upload: Any, version: int | None
) -> tuple[Material, list[str]]:
    """Take a .docx as the source: its paragraphs are sorted into the sections of the draft."""
    material = _lock_for_editing(actor, material, version)
    if not upload.name.lower().endswith(".docx"):
        raise ValidationError({"file": _("只支持 Word 的 .docx 文件。")})
    try:
        content, notes = sections.from_docx(upload, material.has_body_parts)
    except ValueError as exc:
        raise ValidationError({"file": str(exc)}) from exc
    material.draft = content
    material.source_name = upload.name[:200]
    save_validated(material, actor=actor, update_fields=["draft", "source_name"])
    return material, notes


@transaction.atomic
def material_grant_drafter(*, actor: Any, material: Material, person: Person) -> None:
    """The principal lets a colleague draft the 班子 material with him."""
    require(
        material.is_body and scope_for(actor).person_id == material.author_id,
        _("只有主要负责同志可以指定起草人。"),
    )
    if not person.user_id:
        raise ValidationError(_("该人员没有登录账号。"))
    assign_perm("materials.change_material", person.user, material)
    assign_perm("materials.view_material", person.user, material)


def _sync_problems(actor: Any, material: Material, content: dict[str, Any]) -> None:
    """Keep one MaterialProblem per listed example; examples dropped from the text stay, inactive."""
    current = {p.key: p for p in sections.problems(content)}
    existing = {p.key: p for p in MaterialProblem.objects.select_for_update().filter(material=material)}
    with acting_as(actor):
        for key, problem in current.items():
            row = existing.get(key)
            if row is None:
                MaterialProblem.objects.create(
                    material=material,
                    unit=material.unit,
                    unit_path=material.unit_path,
                    key=key,
                    part=problem.part,
                    text=problem.text,
                )
            elif (row.text, row.part, row.is_active) != (problem.text, problem.part, True):
                row.text, row.part, row.is_active = problem.text, problem.part, True
                row.save(update_fields=["text", "part", "is_active"])
        for key, row in existing.items():
            if key not in current and row.is_active:
                row.is_active = False
                row.save(update_fields=["is_active"])


@transaction.atomic
def material_submit(*, actor: Any, material: Material, version: int | None) -> Material:
    """Submit the draft: it becomes a kept version and enters (or re-enters) the review chain."""
    material = _lock_for_editing(actor, material, version)
    content = sections.normalise(material.draft, material.has_body_parts)
    number = material.versions.count() + 1
    MaterialVersion.objects.create(
        material=material,
        number=number,
        content=content,
        text=sections.full_text(content),
        submitted_at=clock.now(),
        submitted_by=actor,
    )
    _sync_problems(actor, material, content)
    copy_check_request(material=material, number=number)  # 雷同检测, queued after commit
    material.status = MaterialStatus.IN_REVIEW
    save_validated(material, actor=actor, update_fields=["status"])
    review = engine.review_submit(
        actor=actor,
        review=material.review,
        subject_kind=SubjectKind.MATERIAL,
        subject_id=material.pk,
        campaign_id=material.campaign_id,
        unit=material.unit,
        author=material.author,
        is_body=material.is_body,
        variant=material.kind,
        title=material.title,
        subject_version=number,
    )
    material.refresh_from_db(fields=["status", "version"])  # the engine may have moved it on
    material.review = review
    save_validated(material, actor=actor, update_fields=["review"])
    return material


# Publication [002]: "执法监管部门和窗口单位、服务行业领导班子的对照检查材料要向工作对象和服务对象公示",
# "村（社区）党组织的简要对照检查材料要向群众公示".
def publishable(material: Material) -> bool:
    if material.status != MaterialStatus.APPROVED or not material.is_body:
        return False
    if material.kind == MaterialKind.BODY:
        return material.unit.kind == UnitKind.ENFORCEMENT
    return material.kind == MaterialKind.BRIEF and material.unit.kind in (
        UnitKind.VILLAGE,
        UnitKind.COMMUNITY,
    )


@transaction.atomic
def material_publish(*, actor: Any, material: Material, publish: bool = True) -> Material:
    material = Material.objects.select_for_update(of=("self",)).select_related("unit").get(pk=material.pk)
    require(scope_for(actor).can_manage(material.unit_path), _("只有活动办可以公示材料。"))
    if publish and not publishable(material):
        raise ValidationError(
            _(
                "只有审核通过的执法监管部门和窗口单位、服务行业的班子材料，以及村（社区）党组织的简要材料需要公示。"
            )
        )
    material.published_at = clock.now() if publish else None
    save_validated(material, actor=actor, update_fields=["published_at"])
    return material


class MaterialHandler:
    """What the review engine does to a material when its review moves."""

    def url(self, subject_id: int) -> str:
        return reverse("materials:detail", args=[subject_id])

    def visible(self, user: Any, subject_id: int) -> bool:
        return materials_visible_to(user).filter(pk=subject_id).exists()

    def grant_read(self, review: Review, users: list[Any]) -> None:
        # Given a list, guardian writes every grant in one INSERT that skips existing ones
        # (one query for the permission, one for the rows); only the material's pk is needed.
        assign_perm("materials.view_material", users, Material(pk=review.subject_id))

    def after_returned(self, review: Review, action: str, actor: Any) -> None:
        material = Material.objects.select_for_update().get(pk=review.subject_id)
        material.status = MaterialStatus.RETURNED
        save_validated(material, actor=actor, update_fields=["status"])

    def after_approved(self, review: Review, actor: Any) -> None:
        material = Material.objects.select_for_update().get(pk=review.subject_id)
        material.status = MaterialStatus.APPROVED
        save_validated(material, actor=actor, update_fields=["status"])


engine.register_subject(SubjectKind.MATERIAL, MaterialHandler())
