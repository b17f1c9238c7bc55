"""Writing materials with chosen text, and reading back what a copy report marked."""

from __future__ import annotations

from typing import Any

from materials import sections, services
from materials.copycheck.corpus import Writer
from materials.models import CopyReport, Material
from tests.materials.conftest import account
from units.models import Person, Unit


def own_content(seed: int, **parts: str) -> dict[str, Any]:
    """An independent material (written from a seed), with some section texts appended to:
    ``formalism=``, ``purpose=``, ``measures=``, ``discipline=``."""
    content = Writer(seed).material(False)
    for key, text in parts.items():
        if key in dict(sections.WINDS):
            content["winds"][key]["text"] += text
        elif key in content["causes"]:
            content["causes"][key] += text
        elif key == "measures":
            content["measures"]["text"] += text
        else:
            content[key] += text
    return content


def submit(campaign: Any, person_code: str, unit_code: str, content: dict[str, Any]) -> Material:
    """Start (if needed), save and submit a personal material through the services."""
    person = Person.objects.get(code=person_code)
    user = account(person_code)
    material = Material.objects.filter(subject_person=person).first()
    if material is None:
        material = services.material_start(
            actor=user,
            campaign=campaign,
            unit=Unit.objects.get(code=unit_code),
            kind="personal",
            subject_person=person,
        )
    material = services.material_save_draft(
        actor=user, material=material, content=content, version=material.version
    )
    return services.material_submit(actor=user, material=material, version=material.version)


def report_of(material: Material, number: int | None = None) -> CopyReport:
    reports = CopyReport.objects.filter(material=material).order_by("-number")
    return reports.get(number=number) if number else reports.first()  # type: ignore[return-value]


def marked(report: CopyReport) -> list[str]:
    """The text of each reported passage, read back from the version's sections."""
    bodies = [body for _title, body in sections.sections_text(report.material_version.content)]
    return ["".join(bodies[s][a:b] for s, a, b in p["ranges"]) for p in report.passages]
