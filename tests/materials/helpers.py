"""Writing and reviewing materials in tests, through the services."""

from __future__ import annotations

from typing import Any

from materials import review as engine
from materials import services
from materials.choices import StepState
from materials.demo import demo_content
from materials.models import Material, ReviewStep
from units.models import Person, Unit


def write_and_submit(
    campaign: Any, person_code: str, unit_code: str, kind: str = "personal", body: bool = False
) -> Material:
    from tests.materials.conftest import account

    unit = Unit.objects.get(code=unit_code)
    if body:
        from units.models import Post

        author = Post.objects.get(unit=unit, role="principal").person
        subject = None
    else:
        author = Person.objects.get(code=person_code)
        subject = author
    user = account(author.code)
    material = services.material_start(
        actor=user, campaign=campaign, unit=unit, kind=kind, subject_person=subject
    )
    material = services.material_save_draft(
        actor=user, material=material, content=demo_content(material.has_body_parts), version=material.version
    )
    return services.material_submit(actor=user, material=material, version=material.version)


def open_step(material: Material) -> ReviewStep:
    material.refresh_from_db()
    return ReviewStep.objects.filter(
        review=material.review, state=StepState.OPEN, kind__in=["review", "sign"]
    ).get()


def reviewer_of(step: ReviewStep) -> Any:
    return step.reviewers.filter(is_open=True).select_related("user").first().user


def act(material: Material, action: str, opinion: str = "同意。", user: Any = None) -> ReviewStep:
    step = open_step(material)
    material.review.refresh_from_db()
    return engine.review_step_act(
        actor=user or reviewer_of(step),
        step=step,
        decision=engine.Decision(action, opinion, ("bu_rao",)),
        review_version=material.review.version,
    )


def resubmit(material: Material) -> Material:
    material.refresh_from_db()
    user = material.author.user
    content = dict(material.draft)
    content["other"] = f"根据审核意见修改（{material.versions.count() + 1}稿）。"
    material = services.material_save_draft(
        actor=user, material=material, content=content, version=material.version
    )
    return services.material_submit(actor=user, material=material, version=material.version)
