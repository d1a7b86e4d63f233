"""The newsroom's time zone (``settings.NEWSROOM_TIME_ZONE``): the admin shows and takes every
date and time in it, so "09:00" on the desk is 09:00 where the desk works, whatever the server's
or the browser's zone. Times are stored in UTC; readers' pages are not affected."""

import zoneinfo

from django.conf import settings
from django.utils import formats, timezone


def newsroom_zone():
    return zoneinfo.ZoneInfo(settings.NEWSROOM_TIME_ZONE)


def zone_label(at=None):
    """The zone as the desk reads it beside a time: “CST (Asia/Shanghai)”. The abbreviation is
    the one in force at ``at`` (daylight saving), now by default."""
    local = timezone.localtime(at or timezone.now(), newsroom_zone())
    return f"{local.tzname()} ({settings.NEWSROOM_TIME_ZONE})"


def newsroom_time(value):
    """``value`` as the desk writes it: “17 Jul 2026 09:00 CST”, the ``DATETIME_FORMAT`` of
    config/formats, which Django's admin prints its read-only fields and list columns with."""
    return formats.date_format(timezone.localtime(value, newsroom_zone()), "DATETIME_FORMAT")


class NewsroomTimeZoneMiddleware:
    """Requests run in the newsroom's zone: the admin's forms take typed times in it, and its
    lists, forms and messages print times in it; readers' pages date what they print in it too,
    as a newspaper dates its pages, so both sides name the same day. The API keeps UTC: its
    times are data, with their offset."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/"):
            return self.get_response(request)
        # Activated for the whole response: admin pages render after the view returns.
        with timezone.override(newsroom_zone()):
            return self.get_response(request)
