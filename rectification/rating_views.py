"""Pages of the public rating of finished items (开门整改): no account, one rating per browser."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from rectification import rating_selectors, rating_services, selectors
from stages import ratelimit
from stages.views import BROWSER_COOKIE

COOKIE_SALT = "stages.survey"  # the survey engine's browser id: one answer per browser and survey


@never_cache
@require_http_methods(["GET", "POST"])
def public_rate(request: HttpRequest, pk: int) -> HttpResponse:
    """评价整改效果: what the item was, what was done, and the three choices."""
    item = rating_selectors.public_item_get(pk)
    selectors.attach_evidence_kinds([item])
    rating_selectors.attach_ratings([item])
    browser_id = request.get_signed_cookie(BROWSER_COOKIE, default=None, salt=COOKIE_SALT)
    context: dict[str, Any] = {
        "item": item,
        "unit": item.unit,
        "choices": rating_services.choices(),
        "ratable": rating_selectors.is_publicly_ratable(item),
        "chosen": "",
    }
    status = 200
    if request.method == "POST":
        verdict = ratelimit.hit("survey_ip", ratelimit.client_ip(request))
        choice = str(request.POST.get("choice", ""))[:20]
        context["chosen"] = choice
        if not verdict.allowed:
            minutes = max(1, (verdict.retry_after + 59) // 60)
            context["errors"] = [_("提交过于频繁，请 %(m)d 分钟后再试。") % {"m": minutes}]
            status = 429
        else:
            try:
                rating_services.item_rate(item=item, choice=choice, browser_id=browser_id)
            except ValidationError as exc:
                context["errors"] = exc.messages
                status = 400
            else:
                item = rating_selectors.public_item_get(pk)  # 复号 by this rating shows at once
                rating_selectors.attach_ratings([item])
                return render(
                    request, "rectification/public_rate_done.html", {"item": item, "unit": item.unit}
                )
    response = render(request, "rectification/public_rate.html", context, status=status)
    if not browser_id:
        response.set_signed_cookie(
            BROWSER_COOKIE,
            secrets.token_urlsafe(24),
            salt=COOKIE_SALT,
            max_age=3600 * 24 * 365,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response
