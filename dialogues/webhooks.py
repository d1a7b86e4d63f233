"""Webhooks: endpoints Editors register are told when what readers see changes.

Each event becomes one ``WebhookDelivery`` per endpoint that wants it, written by signal
receivers inside the transaction that makes the change (the outbox): a rolled-back edit is
never told, a committed one always is, whatever happens to the process after the commit. After
the commit the deliveries due go to the queue (``settings.WEBHOOKS_QUEUE``): RQ on Redis in
production, worked by ``manage.py webhook_worker``, or sent by a thread of the same process in
the embedded default. Whatever the queue loses (a worker killed mid-delivery, Redis restarted),
``send_due()`` finds again in the outbox, so delivery is at least once: receivers drop repeats
by the ``Idempotency-Key`` header.

Events are about content readers see: coverage, quotes, claims and commentary. Publishing
coverage sends one ``published`` for the coverage (its quotes and claims go live with it);
scheduled coverage is told when it goes live (the delivery waits until then, and is cancelled
if the schedule is).
"""

import datetime
import hashlib
import hmac
import json
import logging
import queue
import socket
import ssl
import threading
import time
from http import client as http_client
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from dialogues import changes
from dialogues.models import (
    Claim,
    Commentary,
    Coverage,
    Quote,
    WebhookDelivery,
    WebhookEndpoint,
)
from dialogues.models.webhooks import addresses_to_deliver_to

log = logging.getLogger(__name__)

Event = WebhookEndpoint.Event
Status = WebhookDelivery.Status

# Content events are sent for, with its API collection and detail route (the change feed's names).
RESOURCES = {
    model: (resource, route)
    for resource, (model, route) in changes.RESOURCES.items()
    if model in (Coverage, Quote, Claim, Commentary)
}

MAX_ATTEMPTS = 8
TIMEOUT_SECONDS = 5
# Claimed by a worker for this long; if it has not finished by then (killed, hung), it is sent again.
LEASE = datetime.timedelta(minutes=2)
QUEUE_NAME = "webhooks"


def backoff(attempts):
    """How long to wait after the ``attempts``-th failure: 30 s, doubling, at most 6 hours."""
    return datetime.timedelta(seconds=min(30 * 2 ** (attempts - 1), 6 * 3600))


def signature(secret, timestamp, body):
    """``Dialogue-Desk-Signature``'s value: HMAC-SHA256 of ``"<timestamp>.<body>"``."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


# --- What readers see of an item, before and after a save.


def remember_goes_live_at(sender, instance, raw=False, **kwargs):
    """Signal receiver (pre_save): when readers saw or would see the stored version."""
    if raw or sender not in RESOURCES or instance.pk is None:
        return
    stored = sender._base_manager.filter(pk=instance.pk).first()
    instance._webhook_was_live_at = stored.readers_see_from() if stored is not None else None


def saved(sender, instance, created, raw=False, **kwargs):
    """Signal receiver (post_save): the event this save is, for readers, if any."""
    if raw or sender not in RESOURCES:
        return
    now = timezone.now()
    was = None if created else getattr(instance, "_webhook_was_live_at", None)
    now_at = instance.readers_see_from()
    if was is not None and was > now:  # it was only scheduled: readers have seen nothing yet
        _cancel_scheduled(instance)
        was = None
    if now_at is None:
        if was is not None:
            _record(
                Event.WITHDRAWN if getattr(instance, "withdrawn_at", None) else Event.UNPUBLISHED, instance
            )
    elif was is None:
        _record(Event.PUBLISHED, instance, deliver_after=max(now, now_at))
    else:
        _record(Event.UPDATED, instance)


def corrected(sender, instance, created, raw=False, **kwargs):
    """Signal receiver (post_save of Correction): a public note on something readers see."""
    if raw or not created:
        return
    subject = instance.subject
    if type(subject) in RESOURCES and subject.readers_see_from() is not None:
        _record(Event.CORRECTED, subject, note=instance.note)


def _cancel_scheduled(instance):
    resource, _route = RESOURCES[type(instance)]
    WebhookDelivery.objects.filter(
        resource=resource, object_id=instance.pk, status=Status.PENDING, deliver_after__gt=timezone.now()
    ).update(status=Status.CANCELLED)


def _payload(event, instance, occurred_at, **extra):
    resource, route = RESOURCES[type(instance)]
    base = settings.SITE_URL.rstrip("/")
    return {
        "event": f"{route}.{event}",
        "resource": resource,
        "id": instance.pk,
        "slug": instance.slug,
        "url": base + reverse(f"v1:{route}-detail", kwargs={"slug": instance.slug}),
        "html_url": base + instance.get_absolute_url(),
        "occurred_at": occurred_at.isoformat(),
        **extra,
    }


def _record(event, instance, *, deliver_after=None, **extra):
    """Write the outbox rows for ``event`` on ``instance``, in the caller's transaction."""
    endpoints = [e for e in WebhookEndpoint.objects.filter(is_active=True) if event in e.events]
    if not endpoints:
        return
    now = timezone.now()
    deliver_after = deliver_after or now
    payload = _payload(event, instance, deliver_after, **extra)
    resource, _route = RESOURCES[type(instance)]
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            endpoint=endpoint,
            event=event,
            resource=resource,
            object_id=instance.pk,
            payload=payload,
            deliver_after=deliver_after,
            created_at=now,
        )
        for endpoint in endpoints
    )
    if deliver_after <= now:
        ids = [delivery.pk for delivery in deliveries]
        transaction.on_commit(lambda: enqueue(ids))


# --- Sending.


def rq_queue():
    from redis import Redis
    from rq import Queue

    return Queue(QUEUE_NAME, connection=Redis.from_url(settings.REDIS_URL))


def enqueue(ids):
    """Hand deliveries to the queue: RQ, this process's courier thread (the embedded default), or
    this very call (``inline``, for tests and scripts that want them sent before it returns)."""
    if settings.WEBHOOKS_QUEUE == "rq":
        jobs = rq_queue()
        for pk in ids:
            jobs.enqueue(deliver, pk, job_timeout=TIMEOUT_SECONDS * 6)
    elif settings.WEBHOOKS_QUEUE == "thread":
        # An Editor's save must not wait for receivers (up to TIMEOUT_SECONDS each).
        _courier().put(list(ids))
    else:
        for pk in ids:
            deliver(pk)


# --- The embedded default's queue: one thread per process, started by the process's first
# request (``courier_for_the_server``) or delivery, whichever comes first.
#
# It looks at the outbox when it starts, then sends what it is handed and, whenever nothing is
# handed to it for LOOK_SECONDS, whatever is due in the outbox (``send_due``'s job, which ``webhook_worker`` does with RQ): retries after
# their backoff, scheduled publications, what a stopped process left pending. Two processes may
# both look; ``deliver`` lets only one of them send each delivery.
LOOK_SECONDS = 15
_courier_lock = threading.Lock()
_courier_thread = None
_courier_queue = queue.Queue()


LOOK_NOW = None  # handed to the courier: send whatever is due in the outbox


def _courier():
    global _courier_thread
    with _courier_lock:
        if _courier_thread is None or not _courier_thread.is_alive():
            # What a stopped process left pending, and retries and publications now due.
            _courier_queue.put(LOOK_NOW)
            _courier_thread = threading.Thread(target=_courier_loop, name="webhooks", daemon=True)
            _courier_thread.start()
    return _courier_queue


def courier_for_the_server(**kwargs):
    """``request_started`` receiver: a restarted server sends what waits in the outbox from its
    first request, not from its first new delivery (an outside tester's retries waited for an
    unrelated edit)."""
    if settings.WEBHOOKS_QUEUE == "thread" and (_courier_thread is None or not _courier_thread.is_alive()):
        _courier()


def _courier_loop():
    while True:
        try:
            ids = _courier_queue.get(timeout=LOOK_SECONDS)
        except queue.Empty:
            if settings.WEBHOOKS_QUEUE != "thread":
                return  # switched to another queue (tests do): that one sends from now on
            ids = LOOK_NOW
        try:
            for pk in _due() if ids is LOOK_NOW else ids:
                deliver(pk)
        except Exception:
            log.exception("Webhook deliveries stopped; the next look at the outbox sends the rest")
        finally:
            connection.close()  # this thread's own connection, opened by its first query


def _due(limit=500):
    """Pending deliveries that are due and not being sent (their lease has run out)."""
    return list(
        WebhookDelivery.objects.filter(
            status=Status.PENDING, deliver_after__lte=timezone.now(), endpoint__is_active=True
        )
        .order_by("deliver_after", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def send_due(limit=500):
    """Queue every pending delivery that is due and not being sent (its lease has run out):
    scheduled publications whose time came, retries, and whatever a crash or a lost queue
    left behind. Returns how many were queued."""
    due = _due(limit)
    enqueue(due)
    return len(due)


def _is_live(delivery):
    model = next(model for model, (resource, _route) in RESOURCES.items() if resource == delivery.resource)
    return model.objects.published().filter(pk=delivery.object_id).exists()


class _PinnedHTTPConnection(http_client.HTTPConnection):
    """An HTTP connection to ``url``'s host that connects to the ``addresses`` checked for it
    (``addresses_to_deliver_to``) instead of looking the name up again. Everything else is the
    host's: the ``Host`` header and, over TLS, the name sent (SNI) and the name the
    certificate must carry. It follows no redirect: a 3xx is an answer, not a delivery."""

    def __init__(self, host, port=None, *, addresses, **kwargs):
        super().__init__(host, port, **kwargs)
        self.addresses = addresses

    def _socket(self):
        failure = OSError(f"No address to connect to for {self.host}.")
        for address in self.addresses:
            try:
                return socket.create_connection((address, self.port), self.timeout)
            except OSError as error:
                failure = error
        raise failure

    def connect(self):
        self.sock = self._socket()


class _PinnedHTTPSConnection(_PinnedHTTPConnection, http_client.HTTPSConnection):
    def connect(self):
        self.sock = self._context.wrap_socket(self._socket(), server_hostname=self.host)


def tls_context():
    """What a delivery over https trusts: the system's certificate authorities, and the
    certificate must name the endpoint's host."""
    return ssl.create_default_context()


def _post(url, addresses, body, headers):
    """POST ``body`` to ``url`` through one of ``addresses``; the answer's status code."""
    parts = urlsplit(url)
    if parts.scheme == "https":
        outgoing = _PinnedHTTPSConnection(
            parts.hostname, parts.port, addresses=addresses, timeout=TIMEOUT_SECONDS, context=tls_context()
        )
    else:
        outgoing = _PinnedHTTPConnection(
            parts.hostname, parts.port, addresses=addresses, timeout=TIMEOUT_SECONDS
        )
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        outgoing.request("POST", path, body=body, headers=headers)
        return outgoing.getresponse().status
    finally:
        outgoing.close()


def deliver(pk):
    """Send one delivery, if it is still due and no other worker holds it."""
    now = timezone.now()
    # Claim it: one conditional UPDATE, so of two workers given the same delivery one sends it.
    # An endpoint switched off keeps its deliveries pending, unsent, until it is switched on.
    claimed = WebhookDelivery.objects.filter(
        pk=pk, status=Status.PENDING, deliver_after__lte=now, endpoint__is_active=True
    ).update(deliver_after=now + LEASE, attempts=F("attempts") + 1)
    if not claimed:
        return None
    delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=pk)
    if delivery.event == Event.PUBLISHED and not _is_live(delivery):
        # Rescheduled or taken down since: what it announces has not happened.
        WebhookDelivery.objects.filter(pk=pk).update(status=Status.CANCELLED, last_error="Not live when due.")
        return None
    try:
        # Looked up once: the connection goes to what was checked (no DNS rebinding).
        addresses = addresses_to_deliver_to(delivery.endpoint.url)
    except ValidationError as refused:
        return _failed(delivery, None, " ".join(refused.messages))
    body = json.dumps(delivery.payload, sort_keys=True).encode()
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "DialogueDesk-Webhooks/1",
        "Dialogue-Desk-Event": delivery.payload["event"],
        "Idempotency-Key": str(delivery.idempotency_key),
        "Dialogue-Desk-Signature": signature(delivery.endpoint.secret, timestamp, body),
    }
    status_code, error = None, ""
    try:
        status_code = _post(delivery.endpoint.url, addresses, body, headers)
        if not 200 <= status_code < 300:
            error = f"HTTP {status_code}"
    except (OSError, http_client.HTTPException) as failure:
        error = (str(failure) or type(failure).__name__)[:500]
    done = timezone.now()
    if status_code is not None and 200 <= status_code < 300:
        WebhookDelivery.objects.filter(pk=pk).update(
            status=Status.DELIVERED, delivered_at=done, last_status_code=status_code, last_error=""
        )
        return True
    return _failed(delivery, status_code, error)


def _failed(delivery, status_code, error):
    """Record a failed attempt: tried again after ``backoff``, given up after the last one."""
    attempts = delivery.attempts
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=Status.FAILED if attempts >= MAX_ATTEMPTS else Status.PENDING,
        deliver_after=timezone.now() + backoff(attempts),
        last_status_code=status_code,
        last_error=error or f"HTTP {status_code}",
    )
    log.warning("Webhook delivery %s failed (attempt %s): %s", delivery.pk, attempts, error or status_code)
    return False


def retry_now(deliveries):
    """An Editor's "send again now": failed or pending deliveries go back to the front, with
    a fresh set of attempts. Returns the ids to queue."""
    ids = list(
        deliveries.filter(Q(status=Status.FAILED) | Q(status=Status.PENDING)).values_list("pk", flat=True)
    )
    WebhookDelivery.objects.filter(pk__in=ids).update(
        status=Status.PENDING, deliver_after=timezone.now(), attempts=0
    )
    return ids
