"""Webhooks: signed deliveries from an outbox written with the change, sent through the queue
to a real receiver on loopback, retried with backoff, and not lost by a crash."""

import datetime
import hashlib
import hmac
import ipaddress
import json
import queue
import socket
import ssl
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from freezegun import freeze_time

from dialogues import services, webhooks
from dialogues.models import Commentary, Coverage, Quote, WebhookDelivery, WebhookEndpoint
from tests import factories

pytestmark = pytest.mark.django_db
Status = WebhookDelivery.Status


class Receiver:
    """An HTTP server on 127.0.0.1 that records each POST and answers with the next status."""

    def __init__(self, answers=()):
        self.requests, self.answers = [], list(answers)
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append({"headers": dict(self.headers), "body": body})
                self.send_response(receiver.answers.pop(0) if receiver.answers else 200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def events(self):
        return [json.loads(request["body"])["event"] for request in self.requests]


@pytest.fixture
def receiver():
    receiver = Receiver()
    yield receiver
    receiver.close()


@pytest.fixture
def endpoint(receiver):
    return WebhookEndpoint.objects.create(url=receiver.url, events=list(webhooks.Event.values))


def publish(coverage, editor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.coverage_publish(coverage=coverage, by=editor)


def test_publishing_sends_one_signed_delivery(receiver, endpoint, editor, django_capture_on_commit_callbacks):
    coverage = factories.CoverageFactory(draft=True, slug="fresh")
    publish(coverage, editor, django_capture_on_commit_callbacks)
    (request,) = receiver.requests
    payload = json.loads(request["body"])
    assert payload["event"] == "coverage.published"
    assert (payload["resource"], payload["id"], payload["slug"]) == ("coverage", coverage.pk, "fresh")
    assert payload["url"].endswith("/api/v1/coverage/fresh/") and payload["html_url"].endswith("/fresh/")
    headers = request["headers"]
    timestamp, digest = (part.split("=", 1)[1] for part in headers["Dialogue-Desk-Signature"].split(","))
    expected = hmac.new(endpoint.secret.encode(), f"{timestamp}.".encode() + request["body"], hashlib.sha256)
    assert hmac.compare_digest(digest, expected.hexdigest())
    delivery = WebhookDelivery.objects.get()
    assert headers["Idempotency-Key"] == str(delivery.idempotency_key)
    assert headers["Dialogue-Desk-Event"] == "coverage.published"
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (Status.DELIVERED, 1, 200)


def test_an_endpoint_hears_only_the_events_it_chose(receiver, editor, django_capture_on_commit_callbacks):
    WebhookEndpoint.objects.create(url=receiver.url, events=["withdrawn"])
    coverage = factories.CoverageFactory(draft=True)
    quote = factories.QuoteFactory(coverage=coverage)
    publish(coverage, editor, django_capture_on_commit_callbacks)
    assert receiver.requests == [] and not WebhookDelivery.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw(item=Quote.objects.get(pk=quote.pk), by=editor, note="Misattributed.")
    assert receiver.events() == ["quote.withdrawn"]
    commentary = Commentary.objects.create(
        coverage=coverage, slug="a-reading", title="A reading", body="Why it matters."
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw(item=commentary, by=editor, note="Misread the panel.")
    assert receiver.events() == ["quote.withdrawn", "commentary.withdrawn"]


def test_edits_corrections_and_unpublishing_are_told(
    receiver, endpoint, editor, django_capture_on_commit_callbacks
):
    coverage = factories.CoverageFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.correction_add(subject=coverage, note="The date was wrong.", by=editor)
    with django_capture_on_commit_callbacks(execute=True):
        coverage.dek = "A better standfirst."
        coverage.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.coverage_unpublish(
            coverage=Coverage.objects.get(pk=coverage.pk), by=editor, note="Taken down."
        )
    assert receiver.events()[:2] == ["coverage.corrected", "coverage.updated"]
    assert receiver.events()[-1] == "coverage.unpublished"
    corrected = json.loads(receiver.requests[0]["body"])
    assert corrected["note"] == "The date was wrong."


def test_drafts_are_never_told(receiver, endpoint, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        draft = factories.CoverageFactory(draft=True)
        factories.QuoteFactory(coverage=draft)
        draft.dek = "Still a draft."
        draft.save()
    assert receiver.requests == [] and not WebhookDelivery.objects.exists()


def test_a_rolled_back_change_leaves_nothing_to_send(receiver, endpoint, editor):
    coverage = factories.CoverageFactory(draft=True)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.coverage_publish(coverage=coverage, by=editor)
        raise RuntimeError("the request failed after the save")
    assert not WebhookDelivery.objects.exists()
    assert receiver.requests == []


def test_a_failed_delivery_backs_off_then_succeeds_with_the_same_key(
    endpoint, receiver, editor, django_capture_on_commit_callbacks
):
    receiver.answers = [500, 503]
    start = timezone.now()
    publish(factories.CoverageFactory(draft=True), editor, django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (Status.PENDING, 1, 500)
    assert delivery.deliver_after >= start + datetime.timedelta(seconds=30)
    assert webhooks.send_due() == 0  # not due yet
    with freeze_time(start + datetime.timedelta(seconds=31)):
        assert webhooks.send_due() == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (Status.PENDING, 2, 503)
    assert delivery.deliver_after >= start + datetime.timedelta(seconds=90)  # 30 s, then 60 s
    with freeze_time(start + datetime.timedelta(seconds=200)):
        webhooks.send_due()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Status.DELIVERED, 3)
    keys = {request["headers"]["Idempotency-Key"] for request in receiver.requests}
    assert keys == {str(delivery.idempotency_key)} and len(receiver.requests) == 3


def test_it_gives_up_after_the_last_attempt(endpoint, receiver, editor, django_capture_on_commit_callbacks):
    receiver.answers = [500] * webhooks.MAX_ATTEMPTS
    publish(factories.CoverageFactory(draft=True), editor, django_capture_on_commit_callbacks)
    later = timezone.now()
    for _attempt in range(webhooks.MAX_ATTEMPTS - 1):
        later += datetime.timedelta(hours=7)
        with freeze_time(later):
            webhooks.send_due()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == (Status.FAILED, webhooks.MAX_ATTEMPTS)
    with freeze_time(later + datetime.timedelta(days=1)):
        assert webhooks.send_due() == 0


def test_a_delivery_a_crash_interrupted_is_sent_after_its_lease(endpoint, receiver, editor):
    # The change commits, then the process dies before sending (no on-commit callback runs);
    # another worker took a delivery and died mid-send: both are in the outbox still.
    publish_time = timezone.now()
    services.coverage_publish(coverage=factories.CoverageFactory(draft=True), by=editor)
    factories.CoverageFactory(draft=True, slug="second")
    services.coverage_publish(coverage=Coverage.objects.get(slug="second"), by=editor)
    first, second = WebhookDelivery.objects.order_by("pk")
    WebhookDelivery.objects.filter(pk=second.pk).update(
        deliver_after=publish_time + webhooks.LEASE, attempts=1
    )  # claimed by the worker that died
    assert receiver.requests == []
    assert webhooks.send_due() == 1  # the unsent one; the claimed one waits for its lease
    with freeze_time(publish_time + webhooks.LEASE + datetime.timedelta(seconds=1)):
        assert webhooks.send_due() == 1
    assert {request["headers"]["Idempotency-Key"] for request in receiver.requests} == {
        str(first.idempotency_key),
        str(second.idempotency_key),
    }
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {Status.DELIVERED}


def test_scheduled_coverage_is_told_when_it_goes_live(
    endpoint, receiver, editor, django_capture_on_commit_callbacks
):
    at = timezone.now().replace(microsecond=0) + datetime.timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.coverage_publish(coverage=factories.CoverageFactory(draft=True), by=editor, at=at)
    assert receiver.requests == [] and webhooks.send_due() == 0
    with freeze_time(at + datetime.timedelta(seconds=1)):
        webhooks.send_due()
    assert receiver.events() == ["coverage.published"]


def test_a_cancelled_schedule_is_never_told(endpoint, receiver, editor, django_capture_on_commit_callbacks):
    at = timezone.now() + datetime.timedelta(hours=1)
    coverage = factories.CoverageFactory(draft=True)
    factories.QuoteFactory(coverage=coverage)
    with django_capture_on_commit_callbacks(execute=True):
        services.coverage_publish(coverage=coverage, by=editor, at=at)
        services.coverage_unpublish(coverage=Coverage.objects.get(pk=coverage.pk), by=editor)
    with freeze_time(at + datetime.timedelta(seconds=1)):
        webhooks.send_due()
    assert receiver.requests == []
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {Status.CANCELLED}


def test_the_rq_worker_sends_what_the_change_queued(
    endpoint, receiver, editor, settings, django_capture_on_commit_callbacks
):
    from redis import Redis

    settings.WEBHOOKS_QUEUE = "rq"
    settings.REDIS_URL = "redis://127.0.0.1:6379/15"
    Redis.from_url(settings.REDIS_URL).flushdb()
    publish(factories.CoverageFactory(draft=True), editor, django_capture_on_commit_callbacks)
    assert receiver.requests == []  # queued in Redis, not sent by the web process
    assert webhooks.rq_queue().count == 1
    call_command("webhook_worker", "--burst")
    assert receiver.events() == ["coverage.published"]
    assert WebhookDelivery.objects.get().status == Status.DELIVERED
    assert webhooks.rq_queue().count == 0


def test_editors_register_endpoints_contributors_cannot(client, editor, contributor, receiver, settings):
    client.force_login(contributor)
    assert client.get("/admin/dialogues/webhookendpoint/").status_code == 403
    assert client.get("/admin/dialogues/webhookdelivery/").status_code == 403
    client.force_login(editor)
    assert "Secret" not in client.get("/admin/dialogues/webhookendpoint/add/").content.decode()
    data = {
        "url": receiver.url,
        "description": "Our CMS",
        "events": ["published", "corrected"],
        "is_active": "on",
    }
    response = client.post("/admin/dialogues/webhookendpoint/add/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    endpoint = WebhookEndpoint.objects.get()
    assert (
        endpoint.secret
        in client.get(f"/admin/dialogues/webhookendpoint/{endpoint.pk}/change/").content.decode()
    )
    assert (endpoint.events, endpoint.created_by, len(endpoint.secret)) == (
        ["published", "corrected"],
        editor,
        64,
    )
    settings.WEBHOOKS_ALLOW_HTTP = False
    response = client.post("/admin/dialogues/webhookendpoint/add/", {**data, "events": []})
    form = response.context["adminform"].form
    assert "https://" in str(form.errors["url"]) and "events" in form.errors
    assert WebhookEndpoint.objects.count() == 1


def test_an_editor_sends_failed_deliveries_again(
    client, editor, endpoint, receiver, django_capture_on_commit_callbacks
):
    receiver.answers = [500]
    publish(factories.CoverageFactory(draft=True), editor, django_capture_on_commit_callbacks)
    WebhookDelivery.objects.update(status=Status.FAILED)
    client.force_login(editor)
    changelist = client.get("/admin/dialogues/webhookdelivery/?status__exact=failed")
    assert "failed (gave up)" in changelist.content.decode()
    delivery = WebhookDelivery.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/dialogues/webhookdelivery/?status__exact=failed",
            {"action": "send_again", "_selected_action": [delivery.pk]},
        )
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == Status.DELIVERED and len(receiver.requests) == 2


def test_a_switched_off_endpoint_is_sent_nothing_until_it_is_on(
    endpoint, receiver, editor, django_capture_on_commit_callbacks
):
    endpoint.is_active = False
    endpoint.save()
    WebhookEndpoint.objects.create(url=receiver.url + "?other", events=["published"], is_active=True)
    WebhookDelivery.objects.create(
        endpoint=endpoint, event="published", resource="coverage", object_id=1, payload={"event": "x"}
    )
    assert webhooks.send_due() == 0 and receiver.requests == []
    endpoint.is_active = True
    endpoint.save()
    assert webhooks.send_due() == 1


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",  # this machine
        "https://169.254.169.254/latest/meta-data/",  # a cloud's metadata service
        "https://10.1.2.3/hook",  # a private network
        "https://[::1]/hook",
        "https://[::ffff:192.168.0.1]/hook",
        "https://localhost/hook",  # a name is refused by what it resolves to
    ],
)
def test_an_endpoint_inside_a_private_network_is_refused(client, editor, settings, url):
    settings.WEBHOOKS_ALLOW_INTERNAL_HOSTS = False
    client.force_login(editor)
    data = {"url": url, "events": ["published"], "is_active": "on"}
    response = client.post("/admin/dialogues/webhookendpoint/add/", data)
    assert "inside a private network" in str(response.context["adminform"].form.errors["url"])
    assert not WebhookEndpoint.objects.exists()
    public = client.post("/admin/dialogues/webhookendpoint/add/", {**data, "url": "https://192.0.32.10/hook"})
    assert public.status_code == 302 and WebhookEndpoint.objects.count() == 1


def test_a_delivery_to_a_host_that_now_resolves_inside_is_not_sent(
    receiver, endpoint, editor, settings, django_capture_on_commit_callbacks
):
    """Checked again before each delivery: a name can be pointed elsewhere after it was saved."""
    settings.WEBHOOKS_ALLOW_INTERNAL_HOSTS = False
    publish(factories.CoverageFactory(draft=True), editor, django_capture_on_commit_callbacks)
    assert receiver.requests == []
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == Status.PENDING and delivery.attempts == 1
    assert "127.0.0.1" in delivery.last_error and "private network" in delivery.last_error


def wait_for_requests(receiver, count):
    for _ in range(100):
        if len(receiver.requests) >= count:
            return
        threading.Event().wait(0.05)


def stop_the_courier(settings):
    """Lets the process's courier finish the delivery it holds and stop, before the test reads
    the outbox. SQLite's in-memory test database locks whole tables and does not wait: a test
    polling the outbox once made the courier's own write fail (CI, stop 31), which left the
    delivery leased, unsent, for the rest of the test."""
    settings.WEBHOOKS_QUEUE = "inline"  # the courier returns at its next idle look
    webhooks._courier_thread.join(5)
    assert not webhooks._courier_thread.is_alive()


@pytest.mark.django_db(transaction=True)
def test_in_the_embedded_default_a_save_does_not_wait_for_the_receiver(editor, settings, monkeypatch):
    """``thread``: the Editor's publish returns at once; the delivery is sent behind it."""
    settings.WEBHOOKS_QUEUE = "thread"
    monkeypatch.setattr(webhooks, "LOOK_SECONDS", 0.1)  # so that it stops soon when told
    answered = threading.Event()
    slow = Receiver()
    original = slow.server.RequestHandlerClass.do_POST

    def do_post(handler):
        answered.wait(5)  # answers only when the test says so
        original(handler)

    slow.server.RequestHandlerClass.do_POST = do_post
    try:
        WebhookEndpoint.objects.create(url=slow.url, events=["published"])
        coverage = factories.CoverageFactory(draft=True)
        services.coverage_publish(coverage=coverage, by=editor)  # commits: no test transaction
        assert slow.requests == []  # the receiver has not answered, yet the save returned
        answered.set()
        wait_for_requests(slow, 1)
        stop_the_courier(settings)
        delivery = WebhookDelivery.objects.get()
        assert delivery.status == Status.DELIVERED and slow.events() == ["coverage.published"]
    finally:
        answered.set()
        slow.close()


@pytest.mark.django_db(transaction=True)
def test_in_the_embedded_default_a_failed_delivery_is_retried_by_itself(editor, settings, monkeypatch):
    """No worker runs in ``bin/dev serve``: the process's own courier looks at the outbox."""
    settings.WEBHOOKS_QUEUE = "thread"
    monkeypatch.setattr(webhooks, "LOOK_SECONDS", 0.1)
    monkeypatch.setattr(webhooks, "backoff", lambda attempts: datetime.timedelta(0))
    flaky = Receiver(answers=[500])
    try:
        WebhookEndpoint.objects.create(url=flaky.url, events=["published"])
        services.coverage_publish(coverage=factories.CoverageFactory(draft=True), by=editor)
        wait_for_requests(flaky, 2)
        stop_the_courier(settings)
        delivery = WebhookDelivery.objects.get()
        assert (delivery.status, delivery.attempts) == (Status.DELIVERED, 2)
        assert flaky.events() == ["coverage.published", "coverage.published"]
    finally:
        settings.WEBHOOKS_QUEUE = "inline"
        flaky.close()


@pytest.fixture
def one_lookup(monkeypatch):
    """DNS as a rebinding attacker runs it: ``hook.example`` resolves to this machine once,
    then to nothing (a second lookup, if anything made one, fails the delivery)."""
    lookups, real = [], socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):
        try:
            ipaddress.ip_address(host)
            return real(host, *args, **kwargs)  # an address: no lookup (connecting asks for it)
        except ValueError:
            lookups.append(host)
        if host == "hook.example" and len(lookups) == 1:
            return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", ("127.0.0.1", 0))]
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return lookups


def test_a_delivery_goes_to_the_address_it_checked(
    receiver, editor, one_lookup, django_capture_on_commit_callbacks
):
    """One lookup, checked, and the connection made to it: no second lookup a rebinding DNS
    could answer with an internal address. The request still names the host."""
    port = receiver.server.server_port
    WebhookEndpoint.objects.create(url=f"http://hook.example:{port}/hook?v=1", events=["published"])
    publish(factories.CoverageFactory(draft=True), editor, django_capture_on_commit_callbacks)
    assert WebhookDelivery.objects.get().status == Status.DELIVERED, WebhookDelivery.objects.get().last_error
    assert one_lookup == ["hook.example"]
    (request,) = receiver.requests
    assert request["headers"]["Host"] == f"hook.example:{port}"


def test_a_delivery_refused_by_its_lookup_connects_nowhere(
    receiver, editor, settings, one_lookup, django_capture_on_commit_callbacks
):
    settings.WEBHOOKS_ALLOW_INTERNAL_HOSTS = False
    port = receiver.server.server_port
    WebhookEndpoint.objects.create(url=f"http://hook.example:{port}/hook", events=["published"])
    publish(factories.CoverageFactory(draft=True), editor, django_capture_on_commit_callbacks)
    assert receiver.requests == [] and one_lookup == ["hook.example"]
    assert "private network" in WebhookDelivery.objects.get().last_error


def _certificate(tmp_path, name):
    """A self-signed certificate for ``name`` and its key, as PEM files."""
    cert, key = tmp_path / f"{name}.pem", tmp_path / f"{name}.key"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", f"/CN={name}", "-addext", f"subjectAltName=DNS:{name}",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


@pytest.mark.parametrize(("certified", "delivered"), [("hook.example", True), ("elsewhere.example", False)])
def test_tls_is_checked_for_the_hostname_not_the_address(
    receiver,
    editor,
    one_lookup,
    monkeypatch,
    tmp_path,
    certified,
    delivered,
    django_capture_on_commit_callbacks,
):
    """Connected to the checked address, TLS still sends the host's name (SNI) and requires a
    certificate for it: one for another name is refused."""
    cert, key = _certificate(tmp_path, certified)
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_context.load_cert_chain(cert, key)
    names = []
    server_context.sni_callback = lambda sock, name, context: names.append(name)
    receiver.server.socket = server_context.wrap_socket(receiver.server.socket, server_side=True)
    monkeypatch.setattr(webhooks, "tls_context", lambda: ssl.create_default_context(cafile=str(cert)))

    port = receiver.server.server_port
    WebhookEndpoint.objects.create(url=f"https://hook.example:{port}/hook", events=["published"])
    publish(factories.CoverageFactory(draft=True), editor, django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    assert names == ["hook.example"]
    if delivered:
        assert delivery.status == Status.DELIVERED, delivery.last_error
        assert receiver.requests[0]["headers"]["Host"] == f"hook.example:{port}"
    else:
        assert delivery.status == Status.PENDING and receiver.requests == []
        assert "hook.example" in delivery.last_error or "certificate" in delivery.last_error.lower()


@pytest.mark.django_db
def test_a_restarted_server_looks_at_its_outbox_from_its_first_request(client, settings, monkeypatch):
    """An outside tester's retries waited, after a restart, until an unrelated edit started the
    courier: the first request starts it, and its first job is to send what is due."""
    started = []
    monkeypatch.setattr(webhooks, "_courier_thread", None)
    monkeypatch.setattr(webhooks, "_courier_queue", queue.Queue())
    monkeypatch.setattr(
        webhooks, "_courier_loop", lambda: started.append(webhooks._courier_queue.get_nowait())
    )
    settings.WEBHOOKS_QUEUE = "inline"
    client.get("/healthz")
    assert started == []  # tests and RQ send otherwise
    settings.WEBHOOKS_QUEUE = "thread"
    client.get("/healthz")
    webhooks._courier_thread.join(5)
    assert started == [webhooks.LOOK_NOW]
