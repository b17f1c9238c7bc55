"""A material with its review trail as a .docx, formatted as an office files it."""

from __future__ import annotations

from django.utils.translation import gettext as _

from campaign import clock
from campaign.documents import HEADING_FONT, SIZE_2, SIZE_4, TITLE_FONT, OfficialDocument
from materials import sections
from materials.models import Material, MaterialVersion, ReviewAction


def material_to_docx(material: Material, version: MaterialVersion, trail: list[ReviewAction]) -> bytes:
    document = OfficialDocument()
    document.paragraph(material.title, font=TITLE_FONT, size=SIZE_2, align="center")
    document.paragraph(
        _("%(unit)s　第%(n)d稿　%(date)s")
        % {
            "unit": material.unit.name,
            "n": version.number,
            "date": version.submitted_at.strftime("%Y年%m月%d日"),
        },
        size=SIZE_4,
        align="center",
    )
    for title, text in sections.sections_text(version.content):
        if not text:
            continue
        document.paragraph(title, font=HEADING_FONT)
        for line in text.split("\n"):
            document.paragraph(line)
    document.paragraph(_("审核意见"), font=HEADING_FONT)
    tz = clock.now().tzinfo
    document.table(
        [_("环节"), _("办理"), _("意见"), _("办理人及时间")],
        [
            [
                action.step.name if action.step else "",
                action.get_kind_display(),
                action.opinion,
                f"{action.actor_name} {action.created_at.astimezone(tz):%Y-%m-%d %H:%M}",
            ]
            for action in trail
        ],
        size=12,
    )
    return document.save()
