"""The newsroom's time zone (``settings.NEWSROOM_TIME_ZONE``): the admin shows and takes every
date and time in it, so "09:00" on the desk is 09:00 where the desk works, whatever the server's
or the browser's zone. Times are stored in UTC; readers' pages are not affected."""

import zoneinfo

from django.conf import settings
from django.urls import reverse
from django.utils import dateformat, timezone


def newsroom_zone():
    return zoneinfo.ZoneInfo(settings.NEWSROOM_TIME_ZONE)


def zone_label(at=None):
    """The zone as the desk reads it beside a time: “CST (Asia/Shanghai)”. The abbreviation is
    the one in force at ``at`` (daylight saving), now by default."""
    local = timezone.localtime(at or timezone.now(), newsroom_zone())
    return f"{local.tzname()} ({settings.NEWSROOM_TIME_ZONE})"


def newsroom_time(value):
    """``value`` as the desk writes it: “17 Jul 2026 09:00 CST”."""
    return dateformat.format(timezone.localtime(value, newsroom_zone()), "j M Y H:i T")


class NewsroomTimeZoneMiddleware:
    """Admin requests run in the newsroom's zone: forms take typed times in it, and lists,
    forms and messages print times in it."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = None

    def __call__(self, request):
        if self.prefix is None:
            self.prefix = reverse("admin:index")
        if not request.path.startswith(self.prefix):
            return self.get_response(request)
        # Activated for the whole response: admin pages render after the view returns.
        with timezone.override(newsroom_zone()):
            return self.get_response(request)


def label_read_only_times():
    """Read-only times on admin forms (created, updated, reviewed at) are written as the desk
    writes them, with their zone (“17 Jul 2026 09:00 CST”), as the editable ones say theirs
    (``forms.NewsroomSplitDateTime``). Django has no hook for a read-only field's display but
    the function its form helpers call, which this wraps once, at start-up."""
    from django.contrib.admin import helpers
    from django.db import models

    shown = helpers.display_for_field
    if getattr(shown, "newsroom", False):
        return

    def display_for_field(value, field, empty_value_display, *args, **kwargs):
        if isinstance(field, models.DateTimeField) and value is not None:
            return newsroom_time(value)
        return shown(value, field, empty_value_display, *args, **kwargs)

    display_for_field.newsroom = True
    helpers.display_for_field = display_for_field
