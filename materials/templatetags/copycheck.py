"""{{ share|copy_badge }}: the 雷同检测 badge of an inbox row."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from materials.copycheck.selectors import badge_share

register = template.Library()


@register.filter
def copy_badge(share: float | None) -> SafeString | str:
    if share is None or share < badge_share():
        return ""
    return format_html(
        '<span class="badge warn" title="{}">{}</span>',
        _("雷同检测：与其他材料或比对文本雷同的内容所占比例"),
        _("雷同 %(p)d%%") % {"p": round(share * 100)},
    )
