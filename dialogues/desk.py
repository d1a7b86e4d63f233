"""The newsroom desk: the admin site, whose home shows the work waiting for the person logged in
(what is in review, what goes live when, predictions due, unconfirmed facts, recent corrections,
their own drafts) above the models, grouped by what an editor does with them.

Each section is shown to whoever may see what it lists, as the models' admins decide
(``has_view_permission``): the desk never widens what a role may open."""

import dataclasses
import datetime

from django.contrib import admin, messages
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Count, Value
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone

from dialogues import services
from dialogues.labels import sentence, titled
from dialogues.newsroom import zone_label
from dialogues.permissions import is_editor
from dialogues.security import ThrottledAdminAuthenticationForm

# Models by what an editor does with them; anything else registered (users, groups, API tokens)
# is under "Users".
GROUPS = [
    (
        "coverage",
        "Coverage & statements",
        [
            "coverage",
            "section",
            "quote",
            "claim",
            "claimfigure",
            "commentary",
            "proposal",
            "correction",
            "importproposal",
        ],
    ),
    (
        "people",
        "People & organizations",
        ["speaker", "speakeralias", "affiliation", "organization", "organizationalias", "product"],
    ),
    (
        "reference",
        "Reference",
        ["event", "dialogue", "participant", "topic", "topicalias", "evidencesource", "factsource"],
    ),
    ("integrations", "API & webhooks", ["webhookendpoint", "webhookdelivery", "change", "formerslug"]),
]
USERS = ("users", "Users", ["user", "group"])
SECTION_SIZE = 10


class DeskAdminSite(admin.AdminSite):
    site_header = "Dialogue Desk"
    site_title = "Dialogue Desk admin"
    index_title = "Newsroom desk"
    index_template = "admin/desk.html"
    # Django's "-" for an empty value reads as nothing in a list filter's choices ("-" beside
    # "Ada Speaker"): say it, in filters and list cells alike.
    empty_value_display = "Not set"
    login_form = ThrottledAdminAuthenticationForm

    def get_app_list(self, request, app_label=None):
        """On the home and in the side navigation, models grouped by task (``GROUPS``); an app's
        own index page (``app_label``) lists that app's models as Django does."""
        if app_label is not None:
            return super().get_app_list(request, app_label)
        place = {
            name: (group, order)
            for group, (*_, names) in enumerate(GROUPS)
            for order, name in enumerate(names)
        }
        groups = [{"app_label": key, "name": name, "models": []} for key, name, _ in [*GROUPS, USERS]]
        for app in super().get_app_list(request):
            for model in app["models"]:
                name = model["object_name"].lower()
                ours = app["app_label"] == "dialogues" and name in place
                group, order = place[name] if ours else (len(GROUPS), (USERS[2] + [name]).index(name))
                model["order"] = (order, str(model["name"]))
                groups[group]["models"].append(model)
        app_list = [group for group in groups if group["models"]]
        for group in app_list:
            group["models"].sort(key=lambda model: model["order"])
            # The caption links to the group's first list: there is no index of a task group.
            group["app_url"] = group["models"][0]["admin_url"] or ""
            group["has_module_perms"] = True
        return app_list

    def get_urls(self):
        review = path("desk/review/", self.admin_view(self.review_view), name="desk_review")
        return [review, *super().get_urls()]

    def review_view(self, request):
        """The desk's Approve / Publish and Send back buttons: the same services as the change
        forms, then back to the desk with what happened (or the one reason it did not)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        try:
            message = review(request.user, request.POST)
        except (PermissionDenied, ValidationError) as error:
            text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            messages.error(request, text)
        else:
            messages.success(request, message)
        return HttpResponseRedirect(reverse("admin:index"))

    def index(self, request, extra_context=None):
        app_list = self.get_app_list(request)
        with_counts(self, request, app_list)
        context = {"app_list": app_list, "desk": Desk(self, request), **(extra_context or {})}
        return super().index(request, extra_context=context)


def with_counts(site, request, app_list):
    """Each listed model's number of rows the user's list shows (its admin's queryset: a
    Contributor counts their own proposals), in one query for all of them (a UNION of counts)."""
    listed = [model for app in app_list for model in app["models"] if model["admin_url"]]
    if not listed:
        return
    counts = [
        site._registry[model["model"]]
        .get_queryset(request)
        .order_by()
        .annotate(desk_position=Value(position))
        .values("desk_position")
        .annotate(desk_count=Count("pk"))
        for position, model in enumerate(listed)
    ]
    found = dict(counts[0].union(*counts[1:], all=True).values_list("desk_position", "desk_count"))
    for position, model in enumerate(listed):
        model["count"] = found.get(position, 0)


@dataclasses.dataclass(frozen=True)
class Column:
    """A column of a desk section: its heading and how each row's ``key`` prints
    (``templates/admin/includes/desk_cell.html``): ``title`` (the row's header cell, linked to
    the row's ``url`` when ``link``), ``text``, ``time``, ``date``, ``action`` (a link to the
    row's ``url`` saying its ``action``) or ``review`` (an Editor's decision buttons)."""

    label: str
    key: str = "what"
    kind: str = "text"
    limit: int | None = None  # characters shown, the rest cut with “…”
    link: bool = True
    hidden: bool = False  # a heading for screen readers only
    css: str = ""


@dataclasses.dataclass(frozen=True)
class Section:
    """A section of the desk: its rows (None: not the user's to see, so not shown) as a table
    of ``columns``, or ``empty`` when there are none; ``more``: (url, label) of the full list."""

    key: str
    heading: str
    columns: tuple
    rows: list | None
    empty: str = ""
    more: tuple | None = None

    @property
    def cells(self):
        """Each row's cells, column by column: what the template prints."""
        return [
            [{"column": column, "value": row.get(column.key), "row": row} for column in self.columns]
            for row in self.rows
        ]


SINCE = Column("Since", "since", "time")
SECTIONS = {
    "in-review": (
        Column("What", kind="title", limit=90, link=False),
        Column("Submitted by", "by"),
        SINCE,
        Column("Review", "url", "review", hidden=True),
    ),
    "sent-back": (
        Column("What", kind="title", limit=90, link=False),
        Column("Editor's note", "note", css="desk-note"),
        Column("Sent back", "at", "time"),
        Column("Fix", "url", "action", hidden=True),
    ),
    "scheduled": (Column("Coverage", kind="title", limit=90), Column("Goes live", "at", "time")),
    "predictions": (Column("Prediction", kind="title", limit=90), Column("Resolve by", "due", "date")),
    "facts": (Column("Fact", kind="title", limit=90), Column("Source", "source", limit=60)),
    "corrections": (
        Column("Of", kind="title", limit=70),
        Column("Note", "note", limit=120),
        Column("Made", "at", "time"),
    ),
    "drafts": (Column("Coverage", kind="title", limit=90), Column("Last saved", "at", "time")),
}


class Desk:
    """What the home page lists for ``request.user``: each section's rows, loaded when the
    template reads it, or None when the user may not see what it lists."""

    def __init__(self, site, request):
        self.site, self.request, self.user = site, request, request.user
        self.zone = zone_label()
        self.editor = is_editor(request.user)  # who decides what is in review

    def _admin(self, model):
        model_admin = self.site._registry.get(model)
        return (
            model_admin if model_admin is not None and model_admin.has_view_permission(self.request) else None
        )

    def _url(self, model, view="changelist", *args, query=""):
        return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args) + query

    @property
    def in_review(self):
        """Coverage waiting for an Editor, and pending proposals (an Editor's are everyone's,
        a Contributor's their own, as ``Proposal.objects.visible_to`` decides)."""
        from dialogues.models import Coverage, Proposal

        rows = []
        if self._admin(Coverage):
            for coverage in Coverage.objects.in_review().only("title", "status")[:SECTION_SIZE]:
                rows.append(
                    {
                        "what": f"Coverage: {coverage.title}",
                        "url": self._url(Coverage, "change", coverage.pk),
                        "by": coverage.submitted_by,
                        "since": coverage.submitted_at,
                        "action": "Open the coverage form",
                        "kind": "coverage",
                        "pk": coverage.pk,
                        "approve": "Publish now",
                    }
                )
        if self._admin(Proposal):
            proposals = (
                Proposal.objects.pending()
                .visible_to(self.user)
                .select_related("content_type", "proposed_by")
                .prefetch_related(subjects("target"))
                .order_by("proposed_at", "pk")[:SECTION_SIZE]
            )
            for proposal in proposals:
                rows.append(
                    {
                        "what": proposal.subject_title,
                        "url": self._url(Proposal, "change", proposal.pk),
                        "by": proposal.proposed_by.username if proposal.proposed_by else None,
                        "since": proposal.proposed_at,
                        "action": "Open the proposal",
                        "kind": "proposal",
                        "pk": proposal.pk,
                        "approve": "Approve",
                    }
                )
        minimum = datetime.datetime.min.replace(tzinfo=datetime.UTC)
        return sorted(rows, key=lambda row: row["since"] or minimum)

    @property
    def sections(self):
        """The sections the home shows, in order, each printed the same way
        (``templates/admin/desk.html``). "In review" is always there; "Sent back to you" only
        when something was."""
        sections = [
            Section(
                "in-review", "In review", SECTIONS["in-review"], self.in_review, "Nothing waits for review."
            ),
            Section("sent-back", "Sent back to you", SECTIONS["sent-back"], self.sent_back or None),
            Section("scheduled", "Scheduled", SECTIONS["scheduled"], self.scheduled, "Nothing is scheduled."),
            Section(
                "predictions",
                "Predictions due",
                SECTIONS["predictions"],
                self.predictions_due,
                "No prediction is due within 30 days.",
            ),
            Section(
                "facts",
                "Unconfirmed facts",
                SECTIONS["facts"],
                self.unconfirmed_facts,
                "Every fact's source is confirmed.",
                more=(self.unconfirmed_url, "All unconfirmed facts, in the fact sources list"),
            ),
            Section(
                "corrections",
                "Recent corrections",
                SECTIONS["corrections"],
                self.recent_corrections,
                "No corrections yet.",
            ),
            Section("drafts", "My drafts", SECTIONS["drafts"], self.my_drafts, "You have no drafts."),
        ]
        return [section for section in sections if section.rows is not None]

    @property
    def review_url(self):
        return reverse("admin:desk_review")

    @property
    def sent_back(self):
        """What an Editor sent back to the user, with the note saying what to fix: their drafts
        and their proposals, newest first."""
        from dialogues.models import Coverage, Proposal

        rows = []
        if self._admin(Coverage):
            for coverage in Coverage.objects.sent_back_to(self.user).only(
                "title", "review_note", "updated_at"
            ):
                rows.append(
                    {
                        "what": f"Coverage: {coverage.title}",
                        "url": self._url(Coverage, "change", coverage.pk),
                        "note": coverage.review_note,
                        "at": coverage.updated_at,
                        "action": "Fix the draft",
                    }
                )
        if self._admin(Proposal):
            proposals = (
                Proposal.objects.sent_back_to(self.user)
                .select_related("content_type", "reviewed_by")
                .prefetch_related(subjects("target"))
            )
            for proposal in proposals[:SECTION_SIZE]:
                target = proposal.target if proposal.object_id else None
                rows.append(
                    {
                        "what": proposal.subject_title,
                        # Fixed by proposing again on the item's own form.
                        "url": self._url(proposal.model(), "change", target.pk)
                        if target is not None
                        else self._url(Proposal, "change", proposal.pk),
                        "note": proposal.review_note,
                        "at": proposal.reviewed_at,
                        "action": "Open it to propose again" if target is not None else "Open the proposal",
                    }
                )
        minimum = datetime.datetime.min.replace(tzinfo=datetime.UTC)
        return sorted(rows, key=lambda row: row["at"] or minimum, reverse=True)[:SECTION_SIZE]

    @property
    def in_review_url(self):
        from dialogues.models import Proposal

        return self._url(Proposal, query="?status__exact=pending")

    @property
    def scheduled(self):
        from dialogues.models import Coverage

        if not self._admin(Coverage):
            return None
        rows = Coverage.objects.scheduled().only("title", "status", "publish_at").order_by("publish_at", "pk")
        return [
            {
                "what": coverage.title,
                "url": self._url(Coverage, "change", coverage.pk),
                "at": coverage.publish_at,
            }
            for coverage in rows[:SECTION_SIZE]
        ]

    @property
    def predictions_due(self):
        from dialogues.models import Claim

        if not self._admin(Claim):
            return None
        rows = Claim.objects.predictions_due().only("statement", "resolve_by")[:SECTION_SIZE]
        return [
            {
                "what": claim.statement,
                "url": self._url(Claim, "change", claim.pk),
                "due": claim.resolve_by,
                "overdue": claim.resolve_by < timezone.localdate(),
            }
            for claim in rows
        ]

    @property
    def unconfirmed_facts(self):
        from dialogues.models import FactSource

        if not self._admin(FactSource):
            return None
        rows = (
            FactSource.objects.unconfirmed()
            .select_related("content_type")
            .prefetch_related(subjects("subject"))
        )
        return [
            {
                "what": f"{source.content_type.name.capitalize()} “{source.subject}”: {fact_label(source)}",
                "url": self._url(FactSource, "change", source.pk),
                "source": source.title,
            }
            for source in rows[:SECTION_SIZE]
        ]

    @property
    def unconfirmed_url(self):
        from dialogues.models import FactSource

        return self._url(FactSource, query="?confirmed=no")

    @property
    def recent_corrections(self):
        from dialogues.models import Correction

        if not self._admin(Correction):
            return None
        rows = (
            Correction.objects.recent().select_related("content_type").prefetch_related(subjects("subject"))
        )
        return [
            {
                "what": titled(correction.subject)
                if correction.subject is not None
                else f"{correction.content_type.name.capitalize()} (deleted)",
                "url": self._url(Correction, "change", correction.pk),
                "note": correction.note,
                "at": correction.made_at,
            }
            for correction in rows[:SECTION_SIZE]
        ]

    @property
    def my_drafts(self):
        from dialogues.models import Coverage

        if not self._admin(Coverage):
            return None
        rows = Coverage.objects.drafts_of(self.user).only("title", "updated_at").order_by("-updated_at", "pk")
        return [
            {
                "what": coverage.title,
                "url": self._url(Coverage, "change", coverage.pk),
                "at": coverage.updated_at,
            }
            for coverage in rows[:SECTION_SIZE]
        ]


def subjects(name):
    """Prefetch of a generic relation ``name``: a query per kind of subject, not per row, with
    what the names of affiliations, participants and aliases print (``__str__``)."""
    from dialogues.models import Affiliation, Participant, SpeakerAlias

    return GenericPrefetch(
        name,
        [
            Affiliation._base_manager.select_related("speaker", "organization"),
            Participant._base_manager.select_related("speaker", "dialogue"),
            SpeakerAlias._base_manager.select_related("speaker"),
        ],
    )


def fact_label(source):
    """The field a fact source supports, by its label (“held on”, not ``held_on``)."""
    model = source.content_type.model_class()
    try:
        return str(model._meta.get_field(source.fact).verbose_name)
    except (AttributeError, FieldDoesNotExist):
        return source.fact


def review(user, data):
    """Carry out a desk decision (``data``: ``kind`` coverage or proposal, ``pk``, ``decision``
    approve or send_back, ``note``) through the services; returns what to tell the Editor."""
    from dialogues.models import Coverage, Proposal

    kind, decision, note = data.get("kind"), data.get("decision"), data.get("note", "")
    model = {"coverage": Coverage, "proposal": Proposal}.get(kind)
    pk = data.get("pk", "")
    item = model.objects.filter(pk=pk).first() if model is not None and pk.isdigit() else None
    if item is None or decision not in ("approve", "send_back"):
        raise ValidationError("That is no longer on the desk: nothing was changed.")
    if kind == "coverage":
        if item.status != Coverage.Status.IN_REVIEW:
            raise ValidationError(f"“{item}” is no longer in review: nothing was changed.")
        if decision == "approve":
            services.coverage_publish(coverage=item, by=user)
            return f"Published “{item}”: readers see it now."
        services.coverage_send_back(coverage=item, by=user, note=note)
        return f"Sent “{item}” back to its author with your note."
    title = item.subject_title  # as it reads before the change is applied
    if decision == "approve":
        services.approve_proposal(proposal=item, by=user)
    else:
        services.send_back_proposal(proposal=item, by=user, note=note)
    return decided_message(title, decision)


def decided_message(title, decision):
    """What an Editor is told once ``decision`` is made on the proposal ``title`` names
    (``Proposal.subject_title``), on the desk or on the proposal's form."""
    if decision == "approve":
        return sentence(f"Approved: {title}")
    return sentence(f"{title} — sent back to its author with your note")


def not_decided_message(title, error):
    """Why the decision on the proposal ``title`` names was refused."""
    reason = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
    return f"{sentence(f'Not decided: {title}')} {reason}"
