"""Build the demo campaign; running it again changes nothing."""

import datetime
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from campaign.apps import project_modules
from units import demo

ADMIN_USERNAME = "admin"
# `make run` shows the campaign on this day (Makefile DEMO_DATE); records are dated around it.
DEMO_DATE = "2014-06-20"


class Command(BaseCommand):
    help = "建立演示数据：河南省第二批教育实践活动（濮阳市、许昌市）及各角色演示账号。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--as-of",
            default=DEMO_DATE,
            help="campaign date the demo is built on (deadlines, submissions); default %(default)s",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = datetime.date.fromisoformat(options["as_of"])
        with transaction.atomic(), override_settings(CAMPAIGN_CLOCK_DATE=as_of):
            admin = demo.demo_user(
                ADMIN_USERNAME, "系统管理员", email="admin@localhost", is_staff=True, is_superuser=True
            )
            ctx = demo.seed(admin)
            # Later capabilities add their own demo records in <app>/demo.py.
            modules = project_modules("demo", skip=("units",))
            for module in modules:
                module.seed(ctx)
            # Then what must come after every app's records (campaign.demo moves units
            # through the stages, which checks the gates other apps' records satisfy).
            for module in modules:
                if hasattr(module, "seed_late"):
                    module.seed_late(ctx)

        self.stdout.write(self.style.SUCCESS(f"演示数据就绪：{ctx.campaign}，{len(ctx.units)} 个单位。"))
        self.stdout.write(f"演示账号（密码均为 {demo.DEMO_PASSWORD}）：")
        self.stdout.write(f"  {ADMIN_USERNAME:<16} 系统管理员（管理后台）")
        for username, role, name in ctx.accounts:
            self.stdout.write(f"  {username:<16} {role}  {name}")
