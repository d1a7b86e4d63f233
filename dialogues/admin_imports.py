"""The admin's import assistant: "Import coverage" (paste an article → a draft coverage with
proposals) and the review screen where an editor accepts, edits or rejects them. Registered
from ``dialogues/admin.py``; the writes are ``dialogues.importing.service``'s."""

from django.contrib import admin, messages
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import capfirst

from dialogues.forms_imports import ImportCoverageForm
from dialogues.importing import ImportInputError
from dialogues.importing.progress import TOKEN, CachedProgress, progress_of
from dialogues.importing.service import ADD_PARTICIPANT_FIRST, decide_many, import_submitted, merge
from dialogues.labels import sentence
from dialogues.models import Claim, ClaimFigure, Coverage, Dialogue, ImportProposal, Quote, Speaker
from dialogues.permissions import Access, write_access

REVIEW_PAGE_SIZE = 100

# The fields an editor may change on the review screen, per kind of proposal.
EDITABLE = {
    "quote": ("text", "kind", "speakers"),
    "claim": ("statement", "kind", "attribution", "speakers"),
    "figure": ("label", "value", "unit", "qualifier", "as_of"),
    "entity": ("name", "entity_kind"),
}
CHOICES = {
    "quote": {"kind": Quote.Kind.choices},
    "claim": {"kind": Claim.Kind.choices, "attribution": Claim.Attribution.choices},
    "figure": {"qualifier": ClaimFigure.Qualifier.choices},
    "entity": {"entity_kind": ImportProposal.EntityKind.choices},
}


def highlighted(text, proposals):
    """The source text as HTML, each proposal's passage marked and linked to its row: the
    text is cut at every passage edge and each piece marked with the kinds covering it. One
    sweep over the edges, keeping the passages open at each: a transcript has thousands."""
    starts, ends = {}, {}
    for proposal in proposals:
        start, end = proposal.position, proposal.position + len(proposal.anchor_exact)
        starts.setdefault(start, []).append(proposal)
        ends.setdefault(end, []).append(proposal)
    edges = sorted({0, len(text), *starts, *ends})
    html, open_now = [], {}
    for start, end in zip(edges, edges[1:], strict=False):
        for proposal in ends.get(start, ()):
            open_now.pop(proposal.pk, None)
        for proposal in starts.get(start, ()):
            open_now[proposal.pk] = proposal
        piece = escape(text[start:end]).replace("\n", "<br>")
        if not open_now:
            html.append(piece)
            continue
        innermost = min(open_now.values(), key=lambda p: len(p.anchor_exact))
        kinds = " ".join(sorted({f"import-{p.kind}" for p in open_now.values()}))
        html.append(f'<a class="import-mark {kinds}" href="#proposal-{innermost.pk}">{piece}</a>')
    return mark_safe("".join(html))


def may_import(user):
    return (
        user.is_active
        and user.is_staff
        and user.has_perm("dialogues.add_coverage")
        and user.has_perm("dialogues.add_importproposal")
    )


@admin.register(ImportProposal)
class ImportProposalAdmin(admin.ModelAdmin):
    list_display = ["coverage", "kind", "status", "summary", "review_link"]
    list_filter = ["kind", "status"]
    list_select_related = ["coverage"]
    search_fields = ["anchor_exact", "coverage__title"]
    # Read-only, each under a human label: the proposed fields by their names on the record
    # they would make, and what accepting made as a link, not a content type and an id.
    fields = readonly_fields = [
        "coverage",
        "kind",
        "status",
        "anchor_exact",
        "anchor_prefix",
        "anchor_suffix",
        "proposed",
        "parent",
        "made",
        "decided_by",
        "decided_at",
        "created_at",
    ]

    @admin.display(description="proposed fields")
    def proposed(self, obj):
        rows = []
        for name in EDITABLE.get(obj.kind, ()):
            value = obj.data.get(name)
            if name == "speakers":
                value = ", ".join(n for n in obj.data.get("speaker_names") or [] if n)
            elif name in CHOICES[obj.kind]:
                value = dict(CHOICES[obj.kind][name]).get(value, value)
            if value not in (None, ""):
                rows.append((ImportProposal.field_label(obj.kind, name), value))
        return format_html_join(mark_safe("<br>"), "{}: {}", rows)

    @admin.display(description="what accepting it made")
    def made(self, obj):
        if not (obj.result_type_id and obj.result_id):
            return "—"
        url = reverse(f"admin:dialogues_{obj.result_type.model}_change", args=[obj.result_id])
        return format_html('<a href="{}">{}</a>', url, capfirst(obj.result_type.name))

    def get_queryset(self, request):
        # "Review" on another Contributor's import would only be refused: not listed.
        return super().get_queryset(request).reviewable_by(request.user)

    def has_change_permission(self, request, obj=None):
        return False  # decided on the review screen, which writes through the rules

    @admin.display(description="review")
    def review_link(self, obj):
        return format_html(
            '<a href="{}">Review</a>', reverse("admin:dialogues_import_review", args=[obj.coverage_id])
        )

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("import/", wrap(self.import_view), name="dialogues_import"),
            path("import/progress/", wrap(self.progress_view), name="dialogues_import_progress"),
            path("review/<int:coverage_id>/", wrap(self.review_view), name="dialogues_import_review"),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        # "Add" on this model is importing an article.
        return redirect("admin:dialogues_import")

    def import_view(self, request):
        if not may_import(request.user):
            raise PermissionDenied
        form = ImportCoverageForm(request.POST or None, request.FILES or None)
        self._offer_new_dialogue(request, form)
        # The form's script names the import with a token and polls progress_view with it
        # while the post is under way; without JavaScript there is none and nothing is kept.
        token = request.POST.get("progress", "")
        progress = CachedProgress(request.user, token) if TOKEN.fullmatch(token) else None
        if request.method == "POST" and form.is_valid():
            try:
                result = import_submitted(by=request.user, submitted=form.cleaned_data, progress=progress)
            except ImportInputError as error:
                form.add_error("text", str(error))
            except ValidationError as error:
                messages_by_field = (
                    error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
                )
                for field, errors in messages_by_field.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                summary = result.extraction.summary()
                self.message_user(
                    request,
                    f"Draft “{result.coverage.title}” created with {summary['sections']} sections and "
                    f"{summary['quote']} quotes, {summary['claim']} claims, {summary['figure']} figures and "
                    f"{summary['entity']} entities proposed (read in {summary['seconds']:.2f} s). "
                    "Nothing is published: review the proposals below.",
                    messages.SUCCESS,
                )
                return redirect("admin:dialogues_import_review", result.coverage.pk)
        if progress is not None and form.errors:
            progress.failed("Not imported: see the form's errors.")
        context = {
            **self.admin_site.each_context(request),
            "title": "Import coverage",
            "form": form,
            "media": self.media + form.media,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/dialogues/import/form.html", context)

    def progress_view(self, request):
        """How far the user's import named by ``?token=`` is, as JSON: ``state`` (waiting,
        running, done, failed), ``percent`` and ``message``. Only its importer sees it."""
        if not may_import(request.user):
            raise PermissionDenied
        token = request.GET.get("token", "")
        if not TOKEN.fullmatch(token):
            return JsonResponse({"token": "Expected 16 to 64 letters, digits, - or _."}, status=400)
        return JsonResponse(progress_of(request.user, token))

    def _offer_new_dialogue(self, request, form):
        """The admin's own "+" beside the dialogue: a new event and dialogue are added in a
        popup, as on any change form, and the pasted article stays where it is."""
        may_add = self.admin_site.is_registered(Dialogue) and self.admin_site.get_model_admin(
            Dialogue
        ).has_add_permission(request)
        field = form.fields["dialogue"]
        field.widget = RelatedFieldWidgetWrapper(
            field.widget,
            Coverage._meta.get_field("dialogue").remote_field,
            self.admin_site,
            can_add_related=may_add,
        )

    def review_view(self, request, coverage_id):
        coverage = Coverage.objects.select_related("dialogue").filter(pk=coverage_id).first()
        if coverage is None:
            return self._refused(
                request, 404, "There is no such import: its coverage was deleted or never was."
            )
        if not request.user.has_perm("dialogues.view_importproposal"):
            return self._refused(request, 403, "Only Editors and Contributors review imports.")
        if write_access(request.user, "change", coverage) is Access.DENY:
            return self._refused(
                request,
                403,
                "This import is someone else's draft: only its importer and the Editors review it.",
            )
        if request.method == "POST":
            return self._decide(request, coverage)
        return self._review_page(request, coverage)

    def _refused(self, request, status, reason):
        """A refusal in the admin's own page, with the way back to the imports one may review."""
        context = {
            **self.admin_site.each_context(request),
            "title": "Not found" if status == 404 else "Not yours to review",
            "reason": reason,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/dialogues/import/refused.html", context, status=status)

    def _review_page(self, request, coverage, *, edited=None, refused=None):
        """The review screen; ``edited`` maps a proposal's id to what the editor typed for a
        proposal whose accepting failed (``refused`` says why), shown again as typed."""
        # A long transcript has thousands of proposals: one kind and status at a time, a page
        # of them, with only that page's passages marked in the text.
        shown = {
            "kind": request.GET.get("kind", "")
            if request.GET.get("kind") in ImportProposal.Kind.values
            else "",
            "status": request.GET.get("status", "pending"),
        }
        if shown["status"] not in (*ImportProposal.Status.values, "all"):
            shown["status"] = "pending"
        listed = ImportProposal.objects.for_review(coverage)
        if shown["kind"]:
            listed = listed.filter(kind=shown["kind"])
        if shown["status"] != "all":
            listed = listed.filter(status=shown["status"])
        page = Paginator(listed, REVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
        proposals = list(page.object_list)
        edited, refused = edited or {}, refused or {}
        speakers = self._speakers_to_offer(coverage.dialogue, proposals, edited)
        counts = ImportProposal.objects.filter(coverage=coverage).aggregate(
            pending=Count("pk", filter=Q(status="pending")),
            accepted=Count("pk", filter=Q(status="accepted")),
            rejected=Count("pk", filter=Q(status="rejected")),
            merged=Count("pk", filter=Q(status="merged")),
        )
        rows = [
            self._row(proposal, speakers, edited.get(proposal.pk), refused.get(proposal.pk))
            for proposal in proposals
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": f"Review the import: {coverage.title}",
            "coverage": coverage,
            "rows": rows,
            "counts": counts,
            "highlighted": highlighted(coverage.source_text, proposals),
            "page": page,
            "shown": shown,
            "kinds": [("", "All"), *ImportProposal.Kind.choices],
            "statuses": [*ImportProposal.Status.choices, ("all", "All")],
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/dialogues/import/review.html", context)

    @staticmethod
    def _speakers_to_offer(dialogue, proposals, edited):
        """The speakers a quote or claim may be credited to: the dialogue's participants, then
        the speakers the text names who are not yet on stage (accepting adds them), as
        ``(speaker, on_stage)``. One more query only when the text names such a speaker."""
        participants = list(dialogue.speakers.order_by("participations__position").only("pk", "name"))
        on_stage = {speaker.pk for speaker in participants}
        named = {
            int(pk)
            for proposal in proposals
            for pk in [
                *(proposal.data.get("speakers") or []),
                *(edited.get(proposal.pk, {}).get("speakers") or []),
            ]
            if str(pk).isdigit()
        } - on_stage
        others = list(Speaker.objects.filter(pk__in=named).only("pk", "name")) if named else []
        return [(speaker, True) for speaker in participants] + [(speaker, False) for speaker in others]

    @staticmethod
    def _row(proposal, speakers, edited=None, refused=""):
        fields = []
        typed = edited or {}
        for name in EDITABLE[proposal.kind]:
            value = typed[name] if name in typed else proposal.data.get(name)
            field = {
                "name": name,
                "label": ImportProposal.field_label(proposal.kind, name),
                "input": f"p{proposal.pk}-{name}",
                "value": "" if value is None else value,
            }
            if name == "speakers":
                chosen = {int(pk) for pk in value or [] if str(pk).isdigit()}
                field["multiple"] = True
                field["options"] = [
                    (
                        speaker.pk,
                        speaker.name
                        if on_stage
                        else f"{speaker.name} (not yet on stage: accepting adds them)",
                        speaker.pk in chosen,
                    )
                    for speaker, on_stage in speakers
                    if on_stage or speaker.pk in chosen or speaker.pk in (proposal.data.get("speakers") or [])
                ]
                names = [n for n in proposal.data.get("speaker_names") or [] if n]
                if names and not chosen:
                    field["note"] = ", ".join(names)
            elif name in CHOICES[proposal.kind]:
                field["options"] = [(key, label, key == value) for key, label in CHOICES[proposal.kind][name]]
            fields.append(field)
        result_url = ""
        if proposal.result_type_id and proposal.result_id:
            model = proposal.result_type.model
            result_url = reverse(f"admin:dialogues_{model}_change", args=[proposal.result_id])
        return {"proposal": proposal, "fields": fields, "result_url": result_url, "refused": refused}

    def _decide(self, request, coverage):
        pending = {
            p.pk: p for p in ImportProposal.objects.filter(coverage=coverage).select_related("coverage")
        }
        if "accept" in request.POST or "reject" in request.POST:
            action = "accept" if "accept" in request.POST else "reject"
            chosen = [request.POST[action]]
        else:
            action = request.POST.get("bulk")
            chosen = request.POST.getlist("selected")
        if action not in ("accept", "reject", "merge"):
            self.message_user(request, "Choose accept, reject or merge.", messages.ERROR)
            return redirect(request.get_full_path())
        proposals = [pending[int(pk)] for pk in chosen if pk.isdigit() and int(pk) in pending]
        if not proposals:
            self.message_user(request, "Select at least one proposal.", messages.WARNING)
            return redirect(request.get_full_path())
        if action == "merge":
            try:
                kept = merge(proposals=proposals, by=request.user)
            except (ValidationError, PermissionDenied) as error:
                self.message_user(request, " ".join(getattr(error, "messages", [str(error)])), messages.ERROR)
            else:
                self.message_user(
                    request, sentence(f"{len(proposals)} merged into one: {kept}"), messages.SUCCESS
                )
            return redirect(request.get_full_path())
        values = {p.pk: self._values(request.POST, p) for p in proposals}
        done, errors = decide_many(proposals=proposals, by=request.user, action=action, values=values)
        if done:
            verb = "accepted (as drafts or pending proposals)" if action == "accept" else "rejected"
            self.message_user(request, f"{len(done)} {verb}.", messages.SUCCESS)
        refused = {}
        for proposal, reason in errors.items():
            if ADD_PARTICIPANT_FIRST in reason:
                url = reverse("admin:dialogues_dialogue_change", args=[coverage.dialogue_id])
                refused[proposal.pk] = format_html(
                    '{} <a href="{}#participants-group">Open “{}” to add them</a>.',
                    reason,
                    url,
                    coverage.dialogue,
                )
            else:
                refused[proposal.pk] = reason
            self.message_user(request, format_html("{}: {}", proposal, refused[proposal.pk]), messages.ERROR)
        if errors and action == "accept":
            # What the editor typed stays on the screen beside the reason, not lost to a redirect.
            edited = {pk: value for pk, value in values.items() if pk in refused}
            return self._review_page(request, coverage, edited=edited, refused=refused)
        return redirect(request.get_full_path())

    @staticmethod
    def _values(post, proposal):
        values = {}
        for name in EDITABLE[proposal.kind]:
            key = f"p{proposal.pk}-{name}"
            if name == "speakers":
                if f"{key}-shown" in post:
                    values[name] = [pk for pk in post.getlist(key) if pk.isdigit()]
            elif key in post:
                values[name] = post[key].strip()
        if values.get("as_of") == "":
            values["as_of"] = None
        return values
