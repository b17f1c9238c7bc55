"""The Celery application.

Broker and options come from Django settings (CELERY_* names). The default
broker is kombu's filesystem transport under ./var/celery, so `make run` needs
no server; production points CELERY_BROKER_URL at Redis.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "campaign.settings")

app = Celery("campaign")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
