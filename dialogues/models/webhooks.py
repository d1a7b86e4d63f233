import ipaddress
import secrets
import socket
import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from .base import TimestampedModel
from .fields import HttpsURLField


def new_secret():
    return secrets.token_hex(32)


def _resolve(host):
    """Every address ``host`` resolves to, as ``getaddrinfo`` gives them (an IPv6 scope kept)."""
    found = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    return list(dict.fromkeys(sockaddr[0] for *_, sockaddr in found))


def _first_internal(addresses):
    """The first of ``addresses`` not on the public internet (loopback, private, link-local
    such as a cloud's metadata service, reserved, multicast), or None."""
    for text in addresses:
        address = ipaddress.ip_address(text.split("%", 1)[0])
        if not address.is_global or address.is_multicast:
            return address
    return None


def _refused(address):
    return ValidationError(
        {"url": f"This host resolves to {address}, an address inside a private network: use a public one."}
    )


def internal_address(url):
    """An address ``url``'s host resolves to that is not on the public internet, or None.

    An endpoint there would let whoever registers it make this server POST into its own network
    (server-side request forgery). Asked when an endpoint is saved; each delivery asks again
    and connects to the addresses it checked (``addresses_to_deliver_to``). A host that does
    not resolve is not refused here: its delivery fails and is logged."""
    try:
        return _first_internal(_resolve(urlsplit(url).hostname or ""))
    except (socket.gaierror, UnicodeError):
        return None


def refuse_internal(url):
    """Raise a ``ValidationError`` on ``url`` if it reaches an internal address (``internal_address``)
    and ``WEBHOOKS_ALLOW_INTERNAL_HOSTS`` is off."""
    if settings.WEBHOOKS_ALLOW_INTERNAL_HOSTS:
        return
    address = internal_address(url)
    if address is not None:
        raise _refused(address)


def addresses_to_deliver_to(url):
    """The addresses of ``url``'s host, looked up once and checked (``internal_address``): a
    delivery connects to one of these and to nothing else. Were the HTTP client to look the
    name up again, its owner could answer that second lookup with an internal address (DNS
    rebinding). Raises ``ValidationError`` on ``url`` for an internal address (unless
    ``WEBHOOKS_ALLOW_INTERNAL_HOSTS``) or a host that does not resolve."""
    host = urlsplit(url).hostname or ""
    try:
        addresses = _resolve(host)
    except (socket.gaierror, UnicodeError) as error:
        raise ValidationError({"url": f"The host {host} does not resolve ({error})."}) from error
    if not settings.WEBHOOKS_ALLOW_INTERNAL_HOSTS:
        internal = _first_internal(addresses)
        if internal is not None:
            raise _refused(internal)
    return addresses


class WebhookEndpoint(TimestampedModel):
    """A URL an Editor registered to be told when something readers see changes."""

    class Event(models.TextChoices):
        PUBLISHED = "published", "published (live for readers, scheduled ones when they go live)"
        UPDATED = "updated", "updated (a change to something live)"
        CORRECTED = "corrected", "corrected (a public correction note)"
        WITHDRAWN = "withdrawn", "withdrawn (a quote, claim or commentary taken back)"
        UNPUBLISHED = "unpublished", "unpublished (taken down, back to draft)"

    url = HttpsURLField("URL", max_length=500, help_text="Where to POST each event, as JSON.")
    events = models.JSONField(default=list, help_text="The events this endpoint wants.")
    secret = models.CharField(
        max_length=64,
        default=new_secret,
        editable=False,
        help_text="Signs every delivery (HMAC-SHA256): the receiver checks the "
        "Dialogue-Desk-Signature header with it.",
    )
    is_active = models.BooleanField("active", default=True)
    description = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = "webhook endpoint"

    def __str__(self):
        return self.description or self.url

    def clean(self):
        super().clean()
        if self.url and not self.url.startswith("https://") and not settings.WEBHOOKS_ALLOW_HTTP:
            raise ValidationError({"url": "Use an https:// URL: deliveries carry a signature and content."})
        if self.url:
            refuse_internal(self.url)
        unknown = set(self.events) - set(self.Event.values)
        if unknown or not self.events:
            raise ValidationError({"events": "Choose one or more of the events listed."})


class WebhookDelivery(models.Model):
    """One event for one endpoint: the outbox row, written in the same transaction as the change
    it reports, so no committed change goes untold and no rolled-back one is told. Workers send
    it until the endpoint answers 2xx, backing off between attempts."""

    class Status(models.TextChoices):
        PENDING = "pending", "pending"
        DELIVERED = "delivered", "delivered"
        FAILED = "failed", "failed (gave up)"
        CANCELLED = "cancelled", "cancelled (the scheduled change was called off)"

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=20, choices=WebhookEndpoint.Event.choices)
    resource = models.CharField(max_length=40)
    object_id = models.PositiveBigIntegerField()
    payload = models.JSONField()
    idempotency_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    deliver_after = models.DateTimeField(
        default=timezone.now, help_text="The next attempt: not before this (a scheduled publication's time)."
    )
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "webhook deliveries"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "deliver_after"], name="webhook_delivery_due_idx")]

    def __str__(self):
        return f"{self.event} {self.resource} {self.object_id} → {self.endpoint}"
