"""The API's rate limit for anonymous clients, counted in one cache round trip.

DRF's ``AnonRateThrottle`` keeps the time of every request in the period as one cache entry,
read and written back whole on every request: two round trips, and a list as long as the rate
(120 entries at the default 120/minute, a list of a million at the benchmark's). This one keeps
one count per window as long as the period, and weighs the previous window's count by the share
of it still inside the last period: a sliding window counter. Like DRF's, a refused request is
not counted, so a client sending faster than its rate still gets its rate.
"""

import math

from rest_framework import throttling

from dialogues.caching import count_hit


class AnonRateThrottle(throttling.AnonRateThrottle):
    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        windows_passed, into_window = divmod(self.timer(), self.duration)
        window = int(windows_passed)
        window_key = f"{self.key}:{window}"
        current, previous = count_hit(window_key, 2 * self.duration, previous_key=f"{self.key}:{window - 1}")
        share_of_previous = 1 - into_window / self.duration
        used = previous * share_of_previous + current
        if used <= self.num_requests:
            self._tell(request, remaining=self.num_requests - used, reset=self.duration - into_window)
            return True
        self.cache.decr(window_key)
        self.retry_after = self._seconds_until_allowed(previous, current - 1, into_window / self.duration)
        self._tell(request, remaining=0, reset=self.retry_after)
        return False

    def _tell(self, request, *, remaining, reset):
        """Keep the client's standing for ``RateLimitHeadersMiddleware``, on the request Django
        handles (the API's own ``request`` is a wrapper the middleware never sees)."""
        request._request.rate_limit = {
            "RateLimit-Limit": str(self.num_requests),
            "RateLimit-Remaining": str(max(0, math.floor(remaining))),
            "RateLimit-Reset": str(max(0, math.ceil(reset))),
        }

    def _seconds_until_allowed(self, previous, current, into_window):
        """When ``previous * (1 - share of the window passed) + current + 1`` first fits the rate:
        later in this window as the previous one's weight falls, else in the next one, where
        this window's count is the one falling."""
        room = self.num_requests - 1
        if current <= room and previous:
            return (1 - (room - current) / previous - into_window) * self.duration
        weight_that_fits = room / current if current else 1
        return (1 - into_window + max(0, 1 - weight_that_fits)) * self.duration

    def wait(self):
        return math.ceil(self.retry_after)


class RateLimitHeadersMiddleware:
    """``RateLimit-Limit``, ``RateLimit-Remaining`` and ``RateLimit-Reset`` (IETF httpapi's
    draft) on every answer to a client the throttle counted: the requests a period allows, how
    many are left, and in how many seconds the count eases (this window's end; for a refused
    request, when one more fits, as ``Retry-After``). Signed-in clients, who are not counted,
    and the schema and docs, which are not throttled, get none."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        for name, value in getattr(request, "rate_limit", {}).items():
            response[name] = value
        return response
