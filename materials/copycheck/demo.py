"""Demo of 雷同检测: two reference texts, a material of another county, and the 清丰县委副书记's
material with three copied passages — from a model text found online (exact), from the
南乐县 material (edited; its unit is hidden from 清丰县's reviewers), and from the 组织部长's
material (sentences reordered). Checks run here, so the demo shows results without a worker.
"""

from __future__ import annotations

import random
from typing import Any

from django.contrib.auth import get_user_model

from materials import services as material_services
from materials.copycheck import corpus, services
from materials.copycheck.choices import CopyStatus
from materials.copycheck.texts import material_document
from materials.models import CopyReport, Material, MaterialVersion, ReferenceText
from units.demo import DemoContext
from units.models import Person

REFERENCES = [
    ("网上流传的县委常委个人对照检查材料范文", "某文库网站，2014年5月下载", 31),
    ("第一批活动某市直单位领导班子对照检查材料", "第一批教育实践活动单位材料汇编（2013年）", 32),
]


def _write(actor: Any, ctx: DemoContext, unit_code: str, person: Person, content: dict[str, Any]) -> Material:
    assert ctx.campaign is not None
    material = material_services.material_start(
        actor=actor, campaign=ctx.campaign, unit=ctx.units[unit_code], kind="personal", subject_person=person
    )
    material = material_services.material_save_draft(
        actor=actor, material=material, content=content, version=material.version
    )
    return material_services.material_submit(actor=actor, material=material, version=material.version)


def seed(ctx: DemoContext) -> None:
    from materials.demo import _user, on

    office = get_user_model().objects.get(username="county_office")
    references = []
    for title, note, number in REFERENCES:
        reference = ReferenceText.objects.filter(title=title).first()
        if reference is None:
            with on("2014-05-28"):
                reference = services.reference_text_upload(
                    actor=office, title=title, source_note=note, text=corpus.Writer(number).model_text()
                )
        services.reference_text_index(reference_id=reference.pk)
        references.append(reference)

    # A 南乐县 member writes his own material: a source 清丰县's reviewers may not see.
    nanle = Person.objects.get(code="P410923-ZZB")
    if not Material.objects.filter(subject_person=nanle).exists():
        user = _user(ctx, "nanle_member", nanle, "南乐县委常委、组织部部长")
        with on("2014-06-06"):
            _write(user, ctx, "410923", nanle, corpus.Writer(41).material(False))

    # The 清丰县委副书记 puts his material together from three others' texts.
    deputy = Person.objects.get(code="P410922-FSJ")
    if not Material.objects.filter(subject_person=deputy).exists():
        user = _user(ctx, "deputy_secretary", deputy, "清丰县委副书记（材料有雷同段落）")
        r = random.Random(7)
        content = corpus.Writer(51).material(False)
        online = corpus.excerpt(r, references[0].text, 120, 220)
        other = MaterialVersion.objects.filter(material__subject_person=nanle).order_by("number").first()
        colleague = MaterialVersion.objects.filter(material__subject_person__code="P410922-ZZB").first()
        assert other is not None and colleague is not None
        edited = corpus.copy_edited(r, corpus.excerpt(r, material_document(other.content)[0], 100, 160))
        reordered = corpus.copy_reordered(r, material_document(colleague.content)[0], 90, 160)
        content["winds"]["formalism"]["text"] = online
        content["causes"]["purpose"] += edited.strip()
        content["measures"]["text"] += reordered
        with on("2014-06-11"):
            _write(user, ctx, "410922", deputy, content)

    # Check what is not checked yet (the worker would do it after each submission).
    waiting = MaterialVersion.objects.exclude(copy_report__status=CopyStatus.DONE).order_by("submitted_at")
    for version in waiting:
        services.copy_check_run(version_id=version.pk)
    assert not CopyReport.objects.exclude(status=CopyStatus.DONE).exists()
