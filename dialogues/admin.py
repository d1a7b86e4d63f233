import contextlib
import copy

from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Model, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from dialogues import services, webhooks
from dialogues.desk import decided_message, not_decided_message, subjects
from dialogues.forms import (
    LANGUAGE_FIELDS,
    ClaimAdminForm,
    CommentaryAdminForm,
    CorrectionNoteForm,
    CoverageAdminForm,
    LanguageSelect,
    QuoteAdminForm,
    RowForm,
    RowsFormSet,
    SetTopicForm,
    VersionCheckForm,
)
from dialogues.labels import counted, sentence, titled
from dialogues.models import (
    Affiliation,
    Change,
    Claim,
    ClaimFigure,
    Commentary,
    Correction,
    Coverage,
    Dialogue,
    Event,
    EvidenceSource,
    FactSource,
    FormerSlug,
    Organization,
    OrganizationAlias,
    Participant,
    Product,
    Proposal,
    Quote,
    Section,
    Speaker,
    SpeakerAlias,
    Topic,
    TopicAlias,
    WebhookDelivery,
    WebhookEndpoint,
)
from dialogues.newsroom import newsroom_time
from dialogues.permissions import (
    Access,
    can_publish,
    can_schedule,
    editorial_fields,
    is_editor,
    must_withdraw,
    withdraw_instead,
    write_access,
)

STATUS_COLOURS = {
    "unverified": "#52525b",
    "supported": "#166534",
    "disputed": "#92400e",
    "refuted": "#991b1b",
    "outdated": "#3f3f46",
    "draft": "#52525b",
    "in_review": "#92400e",
    "published": "#166534",
    "scheduled": "#1e40af",
    "withdrawn": "#991b1b",
}


def status_badge(value, label):
    return format_html(
        '<strong style="color:#fff;background:{};padding:1px 8px;border-radius:9px;white-space:nowrap">{}</strong>',
        STATUS_COLOURS.get(value, "#52525b"),
        label,
    )


def count_of(model, field):
    """Rows of ``model`` pointing at each listed object, as a subquery: several Count() joins in
    one query would multiply each other's rows (quotes × claims × commentaries per coverage)."""
    rows = model.objects.filter(**{field: OuterRef("pk")}).order_by().values(field)
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")), 0)


def changelist_link(model, label, **filters):
    url = reverse(f"admin:dialogues_{model._meta.model_name}_changelist")
    query = "&".join(f"{key}={value}" for key, value in filters.items())
    return format_html('<a href="{}?{}">{}</a>', url, query, label)


class LanguageFieldsMixin:
    """Language fields offer languages by name (``forms.LanguageSelect``), not a tag to type."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in LANGUAGE_FIELDS:
            kwargs["widget"] = LanguageSelect
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class WritePolicyMixin(LanguageFieldsMixin):
    """Every write through the admin (add and change forms, history restore, deletes, bulk
    delete) asks ``dialogues.permissions.write_access``: it is saved, kept as a proposal for an
    Editor, or refused. Model permissions still decide which models a role may touch at all."""

    def has_change_permission(self, request, obj=None):
        if obj is not None and write_access(request.user, "change", obj) is Access.DENY:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and write_access(request.user, "delete", obj) is not Access.ALLOW:
            return False
        return super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly + sorted(editorial_fields(request.user, self.model) - set(readonly))

    def save_model(self, request, obj, form, change):
        original = type(obj)._base_manager.get(pk=obj.pk) if change else None
        access = write_access(request.user, "change" if change else "add", obj, original=original)
        if access is Access.DENY:
            raise PermissionDenied
        if access is Access.PROPOSE:
            obj._proposed, obj._original = True, original
            # Proposed in save_related, with the rows typed into the inlines. The history restore
            # view has no inlines and calls neither: it calls form.save_m2m() next.
            form.save_m2m = lambda: self._propose(request, obj, form, formsets=())
            return
        if original is not None:
            # What no form shows is not a form's to change: a history restore's object carries
            # every field as it was then, so restoring a version from before a withdrawal would
            # bring the quote back without a word (withdrawals are services.withdraw's).
            for field in obj._meta.concrete_fields:
                if not field.editable and not field.primary_key:
                    setattr(obj, field.attname, getattr(original, field.attname))
        super().save_model(request, obj, form, change)

    def _propose(self, request, obj, form, formsets):
        model_fields = {f.name for f in obj._meta.get_fields() if f.concrete or f.many_to_many}
        values = {name: value for name, value in form.cleaned_data.items() if name in model_fields}
        obj._proposal = services.propose_change(
            by=request.user,
            values=values,
            target=obj._original,
            model=type(obj),
            correction_note=form.cleaned_data.get("correction_note", ""),
            rows=[row for formset in formsets for row in row_changes(formset)],
        )

    def save_related(self, request, form, formsets, change):
        if getattr(form.instance, "_proposed", False):
            self._propose(request, form.instance, form, formsets)
        else:
            super().save_related(request, form, formsets, change)

    def delete_queryset(self, request, queryset):
        if any(write_access(request.user, "delete", obj) is not Access.ALLOW for obj in queryset):
            raise PermissionDenied
        super().delete_queryset(request, queryset)

    def construct_change_message(self, request, form, formsets, add=False):
        if getattr(form.instance, "_proposed", False):
            return ""  # nothing was saved: the proposal is the record
        return super().construct_change_message(request, form, formsets, add)

    def log_addition(self, request, obj, message):
        if not getattr(obj, "_proposed", False):
            return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        if not getattr(obj, "_proposed", False):
            return super().log_change(request, obj, message)

    def response_add(self, request, obj, post_url_continue=None):
        if getattr(obj, "_proposed", False):
            return self._proposal_response(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if getattr(obj, "_proposed", False):
            return self._proposal_response(request, obj)
        return super().response_change(request, obj)

    def _proposal_response(self, request, obj):
        if obj._proposal is None:
            self.message_user(request, "Nothing changed.", messages.INFO)
        else:
            self.message_user(request, "Your change was sent to an Editor for review.", messages.SUCCESS)
        opts = self.model._meta
        return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))


def row_changes(formset):
    """The rows typed into an inline (``services.RowChange``): new, changed and deleted ones."""
    model, fk = formset.model, formset.fk.name
    names = {f.name for f in model._meta.get_fields() if (f.concrete or f.many_to_many) and not f.primary_key}
    names.discard(fk)
    deleted = formset.deleted_forms if formset.can_delete else []
    for form in formset.forms:
        pk = form.instance.pk
        if form in deleted:
            if pk is not None:
                yield services.RowChange(model, fk, pk=pk, delete=True)
        elif form.has_changed():
            typed = names & set(form.changed_data if pk is not None else form.cleaned_data)
            yield services.RowChange(
                model, fk, pk=pk, values={name: form.cleaned_data[name] for name in typed}
            )


class PolicyInlineMixin(LanguageFieldsMixin):
    """Rows inside a form (figures, sections, aliases) are written with their parent: directly
    where it is written directly, and as part of its proposal where a Contributor's change to
    live content is one (``WritePolicyMixin._propose``), so nothing typed is lost and nothing is
    public before an Editor approves it. Deleting a row is for those who write the parent
    directly: Contributors never delete what readers see."""

    def _access(self, request, obj):
        return Access.ALLOW if obj is None else write_access(request.user, "change", obj)

    def has_add_permission(self, request, obj):
        return self._access(request, obj) is not Access.DENY and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._access(request, obj) is not Access.DENY and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._access(request, obj) is Access.ALLOW and super().has_delete_permission(request, obj)

    formset = RowsFormSet

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.user = request.user  # a class of its own, made for this request
        return formset


class TabularInline(PolicyInlineMixin, admin.TabularInline):
    pass


class ModelAdmin(WritePolicyMixin, admin.ModelAdmin):
    pass


class ReadableHistory(HistoricalRecordContextHelper):
    """History's and restore's field-by-field changes as an editor reads them: related objects
    by name (“Ada Lovelace, Grace Hopper”), not the ids simple-history keeps ([3, 5])."""

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if field.many_to_many:
            # Ids from a restore's delta, objects from the history list's.
            items = super().prepare_delta_change_value(change, value)
            ids = [item.pk if isinstance(item, Model) else item for item in items]
            names = {obj.pk: str(obj) for obj in field.related_model._base_manager.filter(pk__in=ids)}
            return ", ".join(names.get(pk, f"#{pk} (deleted)") for pk in ids) or "—"
        if field.is_relation and value is not None:
            if isinstance(value, Model):
                return str(value)
            related = field.related_model._base_manager.filter(pk=value).first()
            return str(related) if related is not None else f"#{value} (deleted)"
        return value


class HistoryAdmin(WritePolicyMixin, SimpleHistoryAdmin):
    """History (who changed what, with restore), the edit's author recorded by
    django-simple-history in ``save_model``."""

    object_history_form_template = "admin/dialogues/history_form.html"
    object_history_list_template = "admin/dialogues/history_list.html"

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableHistory(self.model, historical_record)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Restoring shows, before anything is saved, what it would change: field by field, the
        # value now and the value restored (simple-history's own delta, labelled as in History).
        history = getattr(self.model, self.model._meta.simple_history_manager_attribute)
        records = history.filter(**{self.model._meta.pk.attname: unquote(object_id)})
        version = records.filter(history_id=version_id).first()
        latest = records.order_by("-history_date", "-history_id").first()
        changes = []
        if version is not None and latest is not None and version.pk != latest.pk:
            helper = self.get_historical_record_context_helper(request, version)
            changes = helper.context_for_delta_changes(version.diff_against(latest))
        context = {**(extra_context or {}), "restore_changes": changes}
        return super().history_form_view(request, object_id, version_id, context)

    def set_history_delta_changes(self, request, historical_records, **kwargs):
        super().set_history_delta_changes(request, historical_records, **kwargs)
        # The change reason is the correction note or typo-fix mark (``services.visible_change``);
        # an edit with neither has none, which the history list would print as "None".
        from dialogues.management.commands.loaddata import BASELINE_REASON, CHANGE_REASON

        for record in historical_records:
            if record.history_change_reason is None:
                record.history_change_reason = ""
            # No account made a version loaddata recorded: say so in "Changed by", not "None".
            record.loaded_from_fixture = record.history_user_id is None and (
                record.history_change_reason.startswith((BASELINE_REASON, CHANGE_REASON))
            )


class ContentAdmin(HistoryAdmin):
    """Versioned content: concurrent edits are refused, live changes carry a correction note."""

    form = VersionCheckForm
    save_on_top = True

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if issubclass(form, CorrectionNoteForm):
            form.user = request.user  # a class of its own, made for this request
            if not can_publish(request.user):
                # Only Editors mark typo fixes (services.visible_change refuses anyone else):
                # a Contributor is not offered the box.
                form.base_fields.pop("typo_fix", None)
                # Nor told of it: their note goes with the proposal. A copy, as the field
                # object is the form class's, shared with Editors' forms.
                note = form.base_fields.get("correction_note")
                if note is not None:
                    note = form.base_fields["correction_note"] = copy.copy(note)
                    note.help_text = (
                        "Required when changing what readers of published content see; shown to "
                        "readers with the date an Editor approves your change."
                    )
        return form

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if can_publish(request.user):
            return fieldsets
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f != "typo_fix"]})
            for name, options in fieldsets
        ]

    # The change form and the History's restore both save here: the note the form accepted
    # (services.visible_change) is published with the change.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if getattr(obj, "_proposed", False):
            return  # the note goes with the proposal
        note = getattr(form, "visible_change_note", "")
        if note:
            services.correction_add(subject=obj, note=note, by=request.user)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk is not None and context["adminform"].form.is_bound:
            # A refused save has put the typed values on ``obj``: the heading and breadcrumbs
            # name what is saved, not the wording that was just refused.
            saved = type(obj)._base_manager.filter(pk=obj.pk).first()
            if saved is not None:
                context["subtitle"] = str(saved)
                context["original"] = saved
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if getattr(form.instance, "_proposed", False) or getattr(form, "visible_change_note", ""):
            return  # proposed (the note goes with it), or published with the form's own change
        # Only rows changed (a claim's figures): their note is the correction.
        note = next((fs.visible_change_note for fs in formsets if getattr(fs, "visible_change_note", "")), "")
        if note:
            services.correction_add(subject=form.instance, note=note, by=request.user)


class TopicAliasInline(TabularInline):
    model = TopicAlias
    extra = 1


@admin.register(Topic)
class TopicAdmin(HistoryAdmin):
    list_display = ["name", "slug", "quote_count", "claim_count"]
    list_filter = ["coverages"]
    search_fields = ["name", "aliases__name", "description"]
    inlines = [TopicAliasInline]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(quote_count=count_of(Quote, "topics"), claim_count=count_of(Claim, "topics"))
        )

    @admin.display(ordering="quote_count", description="quotes")
    def quote_count(self, obj):
        return obj.quote_count

    @admin.display(ordering="claim_count", description="claims")
    def claim_count(self, obj):
        return obj.claim_count


class OrganizationAliasInline(TabularInline):
    model = OrganizationAlias
    extra = 1


@admin.register(Organization)
class OrganizationAdmin(HistoryAdmin):
    list_display = ["name", "kind", "website", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "aliases__name", "description"]
    inlines = [OrganizationAliasInline]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]


@admin.register(Product)
class ProductAdmin(HistoryAdmin):
    list_display = ["name", "kind", "maker"]
    list_filter = ["kind"]
    search_fields = ["name", "description", "maker__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["maker"]
    list_select_related = ["maker"]


class SpeakerAliasInline(TabularInline):
    model = SpeakerAlias
    extra = 1


class AffiliationInline(TabularInline):
    model = Affiliation
    extra = 1
    autocomplete_fields = ["organization"]


@admin.register(Speaker)
class SpeakerAdmin(ContentAdmin):
    list_display = ["name", "aliases_list", "titles", "wikidata_id"]
    list_filter = ["affiliations__organization", "dialogues__event"]
    search_fields = ["name", "aliases__name", "bio"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [SpeakerAliasInline, AffiliationInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("aliases", "affiliations__organization")

    @admin.display(description="also written")
    def aliases_list(self, obj):
        return ", ".join(alias.name for alias in obj.aliases.all())

    @admin.display(description="titles")
    def titles(self, obj):
        return obj.title_on(None)


@admin.register(SpeakerAlias)
class SpeakerAliasAdmin(ModelAdmin):
    list_display = ["name", "speaker", "language"]
    list_filter = ["language"]
    search_fields = ["name", "speaker__name"]
    autocomplete_fields = ["speaker"]
    list_select_related = ["speaker"]


@admin.register(OrganizationAlias)
class OrganizationAliasAdmin(ModelAdmin):
    list_display = ["name", "organization", "language"]
    list_filter = ["language"]
    search_fields = ["name", "organization__name"]
    autocomplete_fields = ["organization"]
    list_select_related = ["organization"]


@admin.register(TopicAlias)
class TopicAliasAdmin(ModelAdmin):
    list_display = ["name", "topic", "language"]
    list_filter = ["language"]
    search_fields = ["name", "topic__name"]
    autocomplete_fields = ["topic"]
    list_select_related = ["topic"]


@admin.register(Affiliation)
class AffiliationAdmin(ModelAdmin):
    list_display = ["speaker", "title", "organization", "valid_from", "valid_to"]
    list_filter = ["organization"]
    search_fields = ["speaker__name", "organization__name", "title"]
    autocomplete_fields = ["speaker", "organization"]
    list_select_related = ["speaker", "organization"]


@admin.register(Event)
class EventAdmin(ContentAdmin):
    list_display = ["name", "short_name", "edition", "year", "city", "starts_on", "ends_on"]
    list_filter = ["year", "city"]
    search_fields = ["name", "short_name", "city"]
    prepopulated_fields = {"slug": ["short_name", "year"]}
    autocomplete_fields = ["organizer"]
    date_hierarchy = "starts_on"


class ParticipantInline(TabularInline):
    model = Participant
    extra = 1
    autocomplete_fields = ["speaker"]


@admin.register(Participant)
class ParticipantAdmin(ModelAdmin):
    list_display = ["speaker", "dialogue", "role", "position"]
    list_filter = ["role"]
    search_fields = ["speaker__name", "dialogue__title"]
    autocomplete_fields = ["speaker", "dialogue"]
    list_select_related = ["speaker", "dialogue"]


@admin.register(Dialogue)
class DialogueAdmin(ContentAdmin):
    list_display = ["title", "event", "held_on", "format", "duration_minutes"]
    list_filter = ["format", "event"]
    search_fields = ["title", "summary", "participants__speaker__name"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["event", "topics"]
    inlines = [ParticipantInline]
    list_select_related = ["event"]
    date_hierarchy = "held_on"


class SectionInline(TabularInline):
    model = Section
    extra = 0


class RowAdmin(ModelAdmin):
    """A row of a parent's form on a form of its own (``forms.RowForm``): a change readers of
    the parent see publishes the note as the parent's correction."""

    form = RowForm

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.user = request.user  # a class of its own, made for this request
        return form

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not getattr(obj, "_proposed", False) and form.visible_change_note:
            services.correction_add(subject=obj, note=form.visible_change_note, by=request.user)


@admin.register(Section)
class SectionAdmin(RowAdmin):
    list_display = ["__str__", "coverage"]
    list_filter = ["coverage"]
    search_fields = ["title", "coverage__title"]
    autocomplete_fields = ["coverage"]
    list_select_related = ["coverage"]


class CoverageStateFilter(admin.SimpleListFilter):
    """Status as the desk reads it: scheduled apart from published (live)."""

    title = "status"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [*Coverage.Status.choices[:2], ("scheduled", "Scheduled"), ("live", "Published (live)")]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "scheduled":
            return queryset.scheduled()
        if value == "live":
            return queryset.published()
        if value in (Coverage.Status.DRAFT, Coverage.Status.IN_REVIEW):
            return queryset.filter(status=value)
        return queryset


@admin.register(Coverage)
class CoverageAdmin(ContentAdmin):
    form = CoverageAdminForm
    list_display = ["title", "status_badge", "live_from", "dialogue", "statement_links"]
    list_filter = [CoverageStateFilter, "language", "topics", "dialogue__event"]
    search_fields = ["title", "dek", "source_publication", "author"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["dialogue", "topics"]
    readonly_fields = ["statement_links", "created_at", "updated_at"]
    inlines = [SectionInline]
    list_select_related = ["dialogue"]
    date_hierarchy = "publish_at"
    actions = ["submit_for_review", "publish", "unschedule", "unpublish", "delete_selected"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "dek", "dialogue", "topics", "statement_links"]}),
        (
            "Publishing",
            {"fields": ["status", "publish_at", "correction_note", "typo_fix", "expected_version"]},
        ),
        (
            "Source",
            {
                "fields": [
                    "source_publication",
                    "author",
                    "original_url",
                    "original_published_on",
                    "language",
                    "translated_from",
                    "copyright_notice",
                    "source_text",
                ]
            },
        ),
        ("Record", {"classes": ["collapse"], "fields": ["created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                quote_count=count_of(Quote, "coverage"),
                claim_count=count_of(Claim, "coverage"),
                commentary_count=count_of(Commentary, "coverage"),
            )
        )

    @admin.display(description="status", ordering="status")
    def status_badge(self, obj):
        return status_badge("scheduled" if obj.is_scheduled else obj.status, obj.get_state_display())

    @admin.display(description="publish time", ordering="publish_at")
    def live_from(self, obj):
        """When readers see it: a time kept on a draft (unscheduled, or unpublished) is not one."""
        when = obj.readers_see_from()
        return newsroom_time(when) if when else "—"

    @admin.display(description="status")
    def state(self, obj):
        return obj.get_state_display() if obj is not None and obj.pk else Coverage.Status.DRAFT.label

    # Those who may not set the status (Contributors) read it as the desk says it: "Scheduled",
    # not the stored "Published", for coverage that is not live yet.
    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if "status" not in editorial_fields(request.user, Coverage):
            return fieldsets
        return [
            (name, {**options, "fields": ["state" if f == "status" else f for f in options["fields"]]})
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        return [*readonly, "state"] if "status" in editorial_fields(request.user, Coverage) else readonly

    @admin.display(description="quotes, claims, commentary")
    def statement_links(self, obj):
        if not obj.pk:
            return "—"
        return format_html(
            "{} · {} · {}",
            changelist_link(Quote, counted(obj.quote_count, Quote), coverage__id__exact=obj.pk),
            changelist_link(Claim, counted(obj.claim_count, Claim), coverage__id__exact=obj.pk),
            changelist_link(
                Commentary, counted(obj.commentary_count, Commentary), coverage__id__exact=obj.pk
            ),
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        if obj.is_scheduled and not getattr(obj, "_proposed", False):
            request.scheduled_coverage = obj  # for the message: see message_user

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        # Saved as Scheduled, the form's "changed successfully" would hide that readers do not
        # see it yet: say when they will, in newsroom time.
        scheduled = getattr(request, "scheduled_coverage", None)
        if scheduled is not None and level == messages.SUCCESS:
            message = format_html(
                "Scheduled for {}: “{}” goes live for readers then.",
                newsroom_time(scheduled.publish_at),
                scheduled,
            )
        super().message_user(request, message, level, *args, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if not can_schedule(request.user) and "status" in form.base_fields:
            status = form.base_fields["status"]
            status.choices = [c for c in status.choices if c[0] != Coverage.Status.PUBLISHED]
        return form

    def get_urls(self):
        from django.urls import path

        unschedule = self.admin_site.admin_view(self.unschedule_view)
        send_back = self.admin_site.admin_view(self.send_back_view)
        return [
            path("<path:object_id>/unschedule/", unschedule, name="dialogues_coverage_unschedule"),
            path("<path:object_id>/send-back/", send_back, name="dialogues_coverage_send_back"),
            *super().get_urls(),
        ]

    def send_back_view(self, request, object_id):
        """The change form's Send back (coverage in review): to its author as a draft, with the
        note they read on their desk (``services.coverage_send_back``)."""
        form_url = reverse("admin:dialogues_coverage_change", args=[object_id])
        if request.method != "POST":
            return HttpResponseRedirect(form_url)
        coverage = self.get_object(request, object_id)
        if coverage is None:
            raise Http404
        try:
            services.coverage_send_back(coverage=coverage, by=request.user, note=request.POST.get("note", ""))
        except (PermissionDenied, ValidationError) as error:
            text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            self.message_user(request, text, messages.ERROR)
            return HttpResponseRedirect(form_url)
        self.message_user(request, f"“{coverage}” went back to its author with your note.", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:index"))

    def response_change(self, request, obj):
        if "_submit_for_review" not in request.POST or getattr(obj, "_proposed", False):
            return super().response_change(request, obj)
        form_url = reverse("admin:dialogues_coverage_change", args=[obj.pk])
        try:
            services.coverage_submit_for_review(coverage=obj, by=request.user)
        except (PermissionDenied, ValidationError) as error:
            text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            self.message_user(request, f"Saved, not submitted: {text}", messages.ERROR)
            return HttpResponseRedirect(form_url)
        self.message_user(
            request, f"“{obj}” is saved and submitted: it waits on an Editor's desk.", messages.SUCCESS
        )
        return HttpResponseRedirect(reverse("admin:index"))

    def unschedule_view(self, request, object_id):
        """The change form's Unschedule button: back to review, through the service."""
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:dialogues_coverage_change", args=[object_id]))
        coverage = self.get_object(request, object_id)
        if coverage is None:
            raise Http404
        try:
            services.coverage_unschedule(coverage=coverage, by=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            self.message_user(request, f"“{coverage}” is unscheduled: back in review.", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:dialogues_coverage_change", args=[coverage.pk]))

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["can_unschedule"] = obj is not None and obj.is_scheduled and can_schedule(request.user)
        # A draft its author may write: saved, then submitted as the bulk action submits it.
        context["can_submit_for_review"] = (
            obj is not None
            and obj.pk is not None
            and obj.status == Coverage.Status.DRAFT
            and write_access(request.user, "change", obj) is Access.ALLOW
        )
        context["can_send_back"] = (
            obj is not None and obj.status == Coverage.Status.IN_REVIEW and is_editor(request.user)
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _run(self, request, queryset, step, done):
        changed = 0
        for coverage in queryset:
            try:
                step(coverage=coverage, by=request.user)
                changed += 1
            except PermissionDenied as error:
                self.message_user(request, str(error), messages.ERROR)
                return
            except ValidationError as error:
                if "correction_note" in getattr(error, "message_dict", {}):
                    # A bulk action has no note to give: say where one is given.
                    self.message_user(request, self._needs_note(coverage, done), messages.ERROR)
                else:
                    self.message_user(request, f"{coverage}: {' '.join(error.messages)}", messages.ERROR)
        if changed:
            self.message_user(request, f"{changed} coverage {done}.", messages.SUCCESS)

    def _needs_note(self, coverage, done):
        return format_html(
            "“{}” is live: readers have seen it, so it is {} only with a public correction note. "
            '<a href="{}">Open its form</a>, set the status there and write the note.',
            coverage,
            done,
            reverse("admin:dialogues_coverage_change", args=[coverage.pk]),
        )

    @admin.action(description="Delete selected coverage", permissions=["delete"])
    def delete_selected(self, request, queryset):
        """Coverage readers have seen is unpublished with a note, never deleted (it would take
        every quote and claim in it along): those are skipped, each with where to unpublish it."""
        live = [coverage for coverage in queryset if must_withdraw(coverage)]
        for coverage in live:
            self.message_user(
                request,
                format_html(
                    "“{}” was left as it is, not deleted: readers have seen it, and coverage they "
                    'have seen is unpublished, never deleted. To take it down, <a href="{}">open its '
                    "form</a>, set the status to Draft and write a public correction note.",
                    coverage,
                    reverse("admin:dialogues_coverage_change", args=[coverage.pk]),
                ),
                messages.WARNING,
            )
        if live:
            queryset = queryset.exclude(pk__in=[coverage.pk for coverage in live])
            if not queryset.exists():
                return None
        return django_delete_selected(self, request, queryset)

    @admin.action(description="Submit for review", permissions=["change"])
    def submit_for_review(self, request, queryset):
        self._run(request, queryset, services.coverage_submit_for_review, "submitted for review")

    @admin.action(description="Publish now", permissions=["publish"])
    def publish(self, request, queryset):
        self._run(request, queryset, services.coverage_publish, "published")

    @admin.action(description="Unschedule (back to in review)", permissions=["publish"])
    def unschedule(self, request, queryset):
        self._run(request, queryset, services.coverage_unschedule, "unscheduled")

    @admin.action(description="Unpublish (back to draft)", permissions=["publish"])
    def unpublish(self, request, queryset):
        self._run(request, queryset, services.coverage_unpublish, "unpublished")

    def has_publish_permission(self, request):
        return can_publish(request.user)


class FigureInline(TabularInline):
    model = ClaimFigure
    extra = 0


class WithdrawForm(forms.Form):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="Readers see this note where the item was, and in the article's corrections.",
    )


def action_form_page(model_admin, request, queryset, form, title, template):
    """The page a bulk action shows to ask for what it needs (a note, a topic) before it runs."""
    context = {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "opts": model_admin.model._meta,
        "form": form,
        "queryset": queryset,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, template, context)


class WithdrawActionsMixin:
    """Quotes, claims and commentary readers have seen are withdrawn with a note, never deleted:
    the bulk delete skips them and says so; "Withdraw" asks for the note on a page of its own."""

    @admin.action(
        description="Withdraw selected %(verbose_name_plural)s (with a public note)", permissions=["withdraw"]
    )
    def withdraw(self, request, queryset):
        form = WithdrawForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            done = 0
            for item in queryset:
                try:
                    services.withdraw(item=item, by=request.user, note=form.cleaned_data["note"])
                    done += 1
                except PermissionDenied as error:
                    self.message_user(request, str(error), messages.ERROR)
                    return None
                except ValidationError as error:
                    self.message_user(request, f"{item}: {' '.join(error.messages)}", messages.ERROR)
            if done:
                self.message_user(request, f"{counted(done, queryset.model)} withdrawn.", messages.SUCCESS)
            return None
        return action_form_page(
            self,
            request,
            queryset,
            form,
            f"Withdraw {self.model._meta.verbose_name_plural}",
            "admin/dialogues/withdraw.html",
        )

    def has_withdraw_permission(self, request):
        return can_publish(request.user)

    # Withdrawn, an item is history (``write_access`` refuses every change): its form is shown
    # read-only, saying when and why it was withdrawn, and asks for no correction note.
    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        return [*readonly, "withdrawal"] if obj is not None and obj.is_withdrawn else readonly

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not obj.is_withdrawn:
            return fieldsets
        left_out = {"withdrawal", "correction_note", "typo_fix", "expected_version"}
        kept = [
            (name, {**options, "fields": [f for f in options["fields"] if f not in left_out]})
            for name, options in fieldsets
        ]
        withdrawn = (
            "Withdrawn",
            {
                "description": "Withdrawn items are history: they stay as readers last saw them and "
                "are not edited. Readers see the note where the item was.",
                "fields": ["withdrawal"],
            },
        )
        return [withdrawn, *((name, options) for name, options in kept if options["fields"])]

    @admin.display(description="withdrawn")
    def withdrawal(self, obj):
        return sentence(f"On {newsroom_time(obj.withdrawn_at)}: {obj.withdrawal_note}")

    @admin.action(description="Delete selected %(verbose_name_plural)s", permissions=["delete"])
    def delete_selected(self, request, queryset):
        kept = [item.pk for item in queryset.select_related("coverage") if must_withdraw(item)]
        if kept:
            self.message_user(
                request, f"{len(kept)} not deleted. {withdraw_instead(request.user)}", messages.WARNING
            )
            queryset = queryset.exclude(pk__in=kept)
            if not queryset.exists():
                return None
        return django_delete_selected(self, request, queryset)


class WithdrawableAdmin(WithdrawActionsMixin, ContentAdmin):
    """Quotes and claims: withdrawn, never deleted (``WithdrawActionsMixin``).

    Their bulk workflow steps go through the same services as one item's form: submitting
    their coverage for review, approving their pending proposals, filing them under a topic."""

    actions = ["submit_for_review", "approve", "set_topic", "withdraw", "delete_selected"]
    readonly_fields = ["article_text"]

    class Media:
        css = {"all": ["css/admin-forms.css"]}
        js = ["js/admin-forms.js"]

    @admin.display(description="state")
    def state(self, obj):
        """Where the item stands for readers: withdrawn, else its coverage's state (the list's
        ``list_select_related`` reads the coverage in the same query)."""
        if obj.is_withdrawn:
            return status_badge("withdrawn", "Withdrawn")
        coverage = obj.coverage
        return status_badge(
            "scheduled" if coverage.is_scheduled else coverage.status, coverage.get_state_display()
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context["adminform"].form
        if not form.instance.coverage_id and form.initial.get("coverage"):
            # Opened with ?coverage=<id>, the article is known before any save: show its text
            # too, for a coverage this form offers (its field's queryset), else none.
            with contextlib.suppress(ValidationError):
                form.instance.coverage = form.fields["coverage"].clean(form.initial["coverage"])
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.display(description="article text")
    def article_text(self, obj):
        if obj is None or not obj.coverage_id:
            return (
                "Shown here once saved with a coverage; until then, copy the passage from the article's page."
            )
        return format_html(
            '<div class="article-text" id="article-text" role="region" aria-label="Text of {}" tabindex="0">{}</div>'
            '<p class="help">Select a passage here, then “Use selection” (or copy and paste it above).</p>',
            obj.coverage.title,
            obj.coverage.source_text,
        )

    def _refused(self, request, error):
        text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        self.message_user(request, text, messages.ERROR)

    @admin.action(description="Submit their coverage for review", permissions=["change"])
    def submit_for_review(self, request, queryset):
        coverages = {item.coverage_id: item.coverage for item in queryset.select_related("coverage")}
        done = 0
        for coverage in coverages.values():
            if coverage.status != Coverage.Status.DRAFT:
                self.message_user(
                    request,
                    f"“{coverage}” is in review already: it waits on an Editor's desk."
                    if coverage.status == Coverage.Status.IN_REVIEW
                    # What is live changes on its form (a Contributor's change goes to an Editor).
                    else f"“{coverage}” is published already: change it on its form.",
                    messages.INFO,
                )
                continue
            try:
                services.coverage_submit_for_review(coverage=coverage, by=request.user)
            except (PermissionDenied, ValidationError) as error:
                self._refused(request, error)
                continue
            done += 1
        if done:
            self.message_user(request, f"{done} coverage submitted for review.", messages.SUCCESS)

    def has_approve_permission(self, request):
        return is_editor(request.user)

    @admin.action(description="Approve their pending proposals", permissions=["approve"])
    def approve(self, request, queryset):
        if not is_editor(request.user):
            self.message_user(
                request,
                "Only editors approve proposals: yours wait on an Editor's desk. Nothing was changed.",
                messages.ERROR,
            )
            return
        proposals = list(Proposal.objects.pending().about(queryset).prefetch_related(subjects("target")))
        if not proposals:
            self.message_user(request, "None of them has a pending proposal.", messages.INFO)
            return
        approve_in_turn(self, request, proposals)

    @admin.action(description="File selected %(verbose_name_plural)s under a topic", permissions=["change"])
    def set_topic(self, request, queryset):
        form = SetTopicForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            topic = form.cleaned_data["topic"]
            added = proposed = 0
            for item in queryset:
                try:
                    proposal = services.add_topic(item=item, topic=topic, by=request.user)
                except PermissionDenied as error:
                    self._refused(request, error)
                    continue
                if proposal is not None:
                    proposed += 1
                else:
                    added += 1
            if added:
                self.message_user(
                    request, f"{counted(added, queryset.model)} filed under “{topic}”.", messages.SUCCESS
                )
            if proposed:
                self.message_user(
                    request,
                    f"{counted(proposed, queryset.model)} sent to an Editor for review (filed under “{topic}” "
                    "once approved).",
                    messages.SUCCESS,
                )
            return None
        return action_form_page(
            self,
            request,
            queryset,
            form,
            f"File {self.model._meta.verbose_name_plural} under a topic",
            "admin/dialogues/set_topic.html",
        )


# Where a quote or claim sits in the article, on both their forms.
PASSAGE_FIELDSET = (
    "Passage in the article",
    {
        "description": "Paste or select the passage from the article's text below. Quote marks, dashes "
        "and line breaks need not match: it is stored as the article has it, with the text before "
        "and after and (when left empty) the section filled in when you save.",
        "fields": ["anchor_exact", "use_closest_passage", "article_text", "anchor_prefix", "anchor_suffix"],
    },
)


@admin.register(Quote)
class QuoteAdmin(WithdrawableAdmin):
    form = QuoteAdminForm
    list_display = ["__str__", "state", "speaker_names", "kind", "coverage", "section", "is_featured"]
    list_filter = [
        "kind",
        "is_featured",
        "topics",
        "speakers",
        "dialogue__event",
        "coverage__status",
        "coverage",
    ]
    search_fields = ["text", "original_text", "speakers__name", "speakers__aliases__name"]
    autocomplete_fields = ["speakers", "dialogue", "coverage", "section", "topics"]
    list_select_related = ["coverage", "section"]
    fieldsets = [
        (None, {"fields": ["text", "slug", "kind", "speakers", "is_featured", "topics"]}),
        ("Where it comes from", {"fields": ["dialogue", "coverage", "section"]}),
        PASSAGE_FIELDSET,
        ("Translation", {"classes": ["collapse"], "fields": ["original_text", "original_language"]}),
        (None, {"fields": ["correction_note", "typo_fix", "expected_version"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("speakers")

    @admin.display(description="speakers")
    def speaker_names(self, obj):
        return " and ".join(s.name for s in obj.speakers.all())


@admin.register(Claim)
class ClaimAdmin(WithdrawableAdmin):
    form = ClaimAdminForm
    list_display = ["__str__", "state", "status_colour", "kind", "claimant", "resolve_by", "coverage"]
    list_filter = ["status", "kind", "attribution", "topics", "speakers", "dialogue__event", "outcome"]
    search_fields = ["statement", "check_note", "speakers__name", "speakers__aliases__name"]
    autocomplete_fields = [
        "speakers",
        "dialogue",
        "coverage",
        "section",
        "evidence",
        "organizations_mentioned",
        "products_mentioned",
        "topics",
    ]
    list_select_related = ["coverage"]
    inlines = [FigureInline]
    fieldsets = [
        (None, {"fields": ["statement", "slug", "kind", "attribution", "speakers", "topics"]}),
        ("Where it comes from", {"fields": ["dialogue", "coverage", "section"]}),
        PASSAGE_FIELDSET,
        ("Check", {"fields": ["status", "checked_on", "check_note", "evidence"]}),
        (
            "Prediction",
            {
                "classes": ["prediction-fields"],
                "description": "Only for claims of the kind “Prediction”.",
                "fields": ["resolve_by", "resolution_criteria", "outcome"],
            },
        ),
        ("Mentions", {"fields": ["organizations_mentioned", "products_mentioned"]}),
        (None, {"fields": ["correction_note", "typo_fix", "expected_version"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("speakers")

    @admin.display(description="status", ordering="status")
    def status_colour(self, obj):
        return status_badge(obj.status, obj.get_status_display())

    @admin.display(description="asserted by")
    def claimant(self, obj):
        if obj.attribution == Claim.Attribution.PUBLICATION:
            return "the publication"
        return " and ".join(s.name for s in obj.speakers.all())


@admin.register(EvidenceSource)
class EvidenceSourceAdmin(HistoryAdmin):
    list_display = ["title", "publisher", "published_on", "url"]
    list_filter = ["publisher"]
    search_fields = ["title", "note", "publisher__name"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["publisher"]
    list_select_related = ["publisher"]


class ConfirmedFilter(admin.SimpleListFilter):
    title = "confirmed"
    parameter_name = "confirmed"

    def lookups(self, request, model_admin):
        return [("no", "Unconfirmed"), ("yes", "Confirmed")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(confirmed_at__isnull=self.value() == "no")
        return queryset


@admin.register(FactSource)
class FactSourceAdmin(admin.ModelAdmin):
    """The desk's list of facts that are not in the coverage's text: where each comes from, and
    whether an Editor has confirmed it. Readers see the source beside the fact."""

    list_display = ["subject_label", "fact", "source_link", "accessed_on", "confirmed"]
    list_filter = [ConfirmedFilter, "content_type"]
    search_fields = ["fact", "title", "url", "note"]
    readonly_fields = ["confirmed_by", "confirmed_at"]
    list_select_related = ["content_type", "confirmed_by"]
    actions = ["confirm"]

    @admin.display(description="about")
    def subject_label(self, obj):
        return f"{obj.content_type.name}: {obj.subject}"

    @admin.display(description="source")
    def source_link(self, obj):
        return format_html('<a href="{}" rel="noopener noreferrer">{}</a>', obj.url, obj.title)

    @admin.display(description="confirmed", boolean=True)
    def confirmed(self, obj):
        return obj.is_confirmed

    def save_model(self, request, obj, form, change):
        # A confirmation vouches for the source as it was read: a new one must be checked again.
        if change and obj.is_confirmed and {"fact", "title", "url", "accessed_on"} & set(form.changed_data):
            obj.confirmed_by = obj.confirmed_at = None
        super().save_model(request, obj, form, change)

    def has_confirm_permission(self, request):
        return can_publish(request.user)

    @admin.action(description="Confirm the selected sources", permissions=["confirm"])
    def confirm(self, request, queryset):
        if not can_publish(request.user):
            raise PermissionDenied
        unconfirmed = list(queryset.unconfirmed())
        for source in unconfirmed:
            source.confirm(by=request.user)
        self.message_user(request, f"Confirmed {len(unconfirmed)} source(s).", messages.SUCCESS)


@admin.register(Commentary)
class CommentaryAdmin(WithdrawActionsMixin, ContentAdmin):
    form = CommentaryAdminForm
    actions = ["withdraw", "delete_selected"]
    list_display = ["title", "coverage", "section", "position", "withdrawn_at"]
    list_filter = ["topics", "coverage"]
    search_fields = ["title", "body"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["coverage", "section", "quotes", "claims", "topics"]
    list_select_related = ["coverage", "section"]


@admin.register(ClaimFigure)
class ClaimFigureAdmin(RowAdmin):
    list_display = ["label", "value", "unit", "qualifier", "as_of", "claim"]
    list_filter = ["unit", "qualifier"]
    search_fields = ["label", "claim__statement"]
    autocomplete_fields = ["claim"]
    list_select_related = ["claim"]

    # Removing a figure of a claim readers saw needs a correction note: on the claim's form,
    # where the figure is a row (RowsFormSet), not here, where a delete has no note.
    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.needs_correction_note(["claim"]):
            return False
        return super().has_delete_permission(request, obj)

    def delete_queryset(self, request, queryset):
        if any(figure.needs_correction_note(["claim"]) for figure in queryset.select_related("claim")):
            raise PermissionDenied
        super().delete_queryset(request, queryset)


class CorrectedKindFilter(admin.SimpleListFilter):
    """The kinds of content that have corrections ("Claim", "Quote"), not every model of every
    installed app as ``content_type`` would list them."""

    title = "subject"
    parameter_name = "subject"

    def lookups(self, request, model_admin):
        used = ContentType.objects.filter(pk__in=Correction.objects.values("content_type"))
        kinds = [
            (kind.pk, capfirst(kind.model_class()._meta.verbose_name)) for kind in used if kind.model_class()
        ]
        return sorted(kinds, key=lambda kind: kind[1])

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        return queryset.filter(content_type_id=value) if value.isdigit() else queryset.none()


@admin.register(Correction)
class CorrectionAdmin(ModelAdmin):
    list_display = ["made_at", "subject_link", "note", "made_by"]
    list_filter = [CorrectedKindFilter]
    search_fields = ["note"]
    readonly_fields = ["content_type", "object_id", "made_at", "made_by"]
    list_select_related = ["content_type", "made_by"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("subject")

    @admin.display(description="subject")
    def subject_link(self, obj):
        subject = obj.subject
        if subject is None:
            return f"{capfirst(obj.content_type.name)} (deleted)"
        url = reverse(
            f"admin:{obj.content_type.app_label}_{obj.content_type.model}_change", args=[subject.pk]
        )
        return format_html('<a href="{}">{}</a>', url, titled(subject))

    def has_add_permission(self, request):
        return False  # corrections are written from the change form of what they correct

    # Append-only: a note readers saw stays as they saw it; a mistaken one is corrected by another.
    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ProposalReviewForm(forms.ModelForm):
    decision = forms.ChoiceField(
        choices=[("", "Decide later"), ("approve", "Approve"), ("send_back", "Send back")],
        required=False,
        help_text="Sending back needs a review note for its author.",
    )

    class Meta:
        model = Proposal
        fields = ["correction_note", "review_note"]

    def clean(self):
        cleaned = super().clean()
        # Said on the form, before anything is saved; approve_proposal checks again under a lock.
        if cleaned.get("decision") == "approve":
            for conflict in services.proposal_conflicts(self.instance):
                self.add_error("decision", conflict)
        if cleaned.get("decision") == "send_back" and not (cleaned.get("review_note") or "").strip():
            # One error, on the form: saving and then refusing said "changed successfully" too.
            self.add_error("review_note", "Say why the proposal goes back, in a note to its author.")
        return cleaned


def readable_values(model, values):
    """Proposed or current values as an Editor reads them: related objects by name."""
    shown = {}
    for name, value in values.items():
        field = model._meta.get_field(name)
        if field.many_to_many:
            shown[name] = (
                ", ".join(str(o) for o in field.related_model._base_manager.filter(pk__in=value)) or "—"
            )
        elif field.is_relation:
            related = field.related_model._base_manager.filter(pk=value).first() if value else None
            shown[name] = str(related) if related is not None else "—"
        else:
            shown[name] = "—" if value in (None, "") else str(value)
    return shown


def readable_row(row):
    """A proposal's row (``Proposal.rows``) as an Editor reads it: which row, then and proposed."""
    model = apps.get_model(row["model"])
    name = model._meta.verbose_name

    def fields(values):
        shown = readable_values(model, values)
        return "; ".join(f"{model._meta.get_field(k).verbose_name}: {v}" for k, v in shown.items()) or "—"

    label = f"new {name}" if row["id"] is None else f"{name} #{row['id']}"
    return label, fields(row.get("was", {})), "delete" if row.get("delete") else fields(row["values"])


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    """Editors approve or send back what Contributors propose; Contributors follow their own."""

    form = ProposalReviewForm
    list_display = ["__str__", "subject", "proposed_by", "proposed_at", "status", "reviewed_by"]
    list_filter = ["status", "content_type"]
    search_fields = ["correction_note", "review_note", "proposed_by__username"]
    list_select_related = ["content_type", "proposed_by", "reviewed_by"]
    fields = [
        "subject",
        "diff",
        "proposed_by",
        "proposed_at",
        "correction_note",
        "status",
        "review_note",
        "reviewed_by",
        "reviewed_at",
        "decision",
    ]
    readonly_fields = [
        "subject",
        "diff",
        "proposed_by",
        "proposed_at",
        "status",
        "reviewed_by",
        "reviewed_at",
    ]
    actions = ["approve", "send_back"]

    def get_queryset(self, request):
        # Their targets in a query per kind, not per row: __str__ and "subject" name them.
        return super().get_queryset(request).visible_to(request.user).prefetch_related(subjects("target"))

    def get_fields(self, request, obj=None):
        if obj is None or obj.status == Proposal.Status.PENDING:
            return self.fields
        # Decided: one line says how (“Sent back by … on …: note”), not four fields and an
        # empty decision box.
        decided = {"status", "review_note", "reviewed_by", "reviewed_at", "decision"}
        return [*(name for name in self.fields if name not in decided), "outcome"]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "outcome"]

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False  # proposals come from the forms and the API of what they change

    def has_change_permission(self, request, obj=None):
        return is_editor(request.user) and (obj is None or obj.status == Proposal.Status.PENDING)

    def has_delete_permission(self, request, obj=None):
        return False  # the review record stays

    @admin.display(description="decision")
    def outcome(self, obj):
        return decision_label(obj)

    @admin.display(description="subject")
    def subject(self, obj):
        target = obj.target if obj.object_id else None
        if target is None:
            return f"new {obj.content_type.name}"
        url = reverse(f"admin:dialogues_{obj.content_type.model}_change", args=[target.pk])
        return format_html('<a href="{}">{}</a>', url, target)

    @admin.display(description="proposed change")
    def diff(self, obj):
        model = obj.model()
        target = obj.target if obj.object_id else None
        proposed = readable_values(model, obj.changes)
        current = readable_values(model, services.current_values(target, obj.changes)) if target else {}
        then = readable_values(model, obj.base_values)
        rows = format_html_join(
            "",
            "<tr><th>{}</th><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (model._meta.get_field(name).verbose_name, then.get(name, "—"), current.get(name, "—"), value)
                for name, value in proposed.items()
            ),
        )
        pending = obj.status == Proposal.Status.PENDING
        conflicts = services.proposal_conflicts(obj, target) if pending else []
        warnings = format_html_join("", "<p><strong>{}</strong></p>", ((c,) for c in conflicts))
        inline_rows = format_html_join(
            "", "<tr><th>{}</th><td>{}</td><td>{}</td></tr>", map(readable_row, obj.rows)
        )
        return format_html(
            "{}<table><thead><tr><th>field</th><th>when proposed</th><th>now</th><th>proposed</th></tr>"
            "</thead><tbody>{}</tbody></table>{}",
            warnings,
            rows,
            format_html(
                "<table><thead><tr><th>row</th><th>when proposed</th><th>proposed</th></tr></thead>"
                "<tbody>{}</tbody></table>",
                inline_rows,
            )
            if obj.rows
            else "",
        )

    def save_model(self, request, obj, form, change):
        obj.save(update_fields=["correction_note", "review_note"])
        decision = form.cleaned_data.get("decision")
        title = obj.subject_title if decision else ""
        if decision and not self._decide(request, obj, decision):
            request.proposal_refused = True
        elif decision:
            request.proposal_decided = decided_message(title, decision)

    def _decide(self, request, proposal, decision):
        try:
            if decision == "approve":
                services.approve_proposal(proposal=proposal, by=request.user)
            else:
                services.send_back_proposal(proposal=proposal, by=request.user, note=proposal.review_note)
        except (ValidationError, PermissionDenied) as error:
            self.message_user(request, not_decided_message(proposal.subject_title, error), messages.ERROR)
            return False
        return True

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        # A decision refused after the form was valid (a change landed meanwhile) is the one
        # message: the form's "changed successfully" beside it would contradict it. A decision
        # made says what it did, as the desk does.
        if level == messages.SUCCESS and getattr(request, "proposal_refused", False):
            return
        if level == messages.SUCCESS and getattr(request, "proposal_decided", None):
            message = request.proposal_decided
        super().message_user(request, message, level, *args, **kwargs)

    @admin.action(description="Approve selected proposals", permissions=["change"])
    def approve(self, request, queryset):
        approve_in_turn(self, request, queryset.pending())

    @admin.action(
        description="Send back selected proposals (with their review notes)", permissions=["change"]
    )
    def send_back(self, request, queryset):
        done = sum(self._decide(request, proposal, "send_back") for proposal in queryset)
        if done:
            self.message_user(request, f"{counted(done, 'proposal')} sent back.", messages.SUCCESS)


def decision_label(proposal):
    """How a decided proposal was decided, as its author and Editors read it: “Sent back by
    editor on 7 Dec 2026 01:29 CST: Too long.”; pending, “Not decided yet”."""
    if proposal.status == Proposal.Status.PENDING:
        return "Not decided yet"
    who = proposal.reviewed_by.get_username() if proposal.reviewed_by else "a former editor"
    said = f"{proposal.get_status_display()} by {who} on {newsroom_time(proposal.reviewed_at)}"
    return sentence(f"{said}: {proposal.review_note}" if proposal.review_note else said)


def approve_in_turn(model_admin, request, proposals):
    """Approve ``proposals`` in the order they were made, each through ``approve_proposal``. One
    an earlier approval has overtaken (the staleness rule: approving it would undo that change)
    stays pending and is named as needing the Editor's review, with a link; nothing is
    overwritten and the others still go through."""
    proposals = sorted(proposals, key=lambda proposal: (proposal.proposed_at, proposal.pk))
    titles = {proposal.pk: proposal.subject_title for proposal in proposals}  # as they read before
    done = 0
    for proposal in proposals:
        try:
            services.approve_proposal(proposal=proposal, by=request.user)
        except services.StaleProposal as error:
            model_admin.message_user(
                request,
                format_html(
                    '{} <a href="{}">{}</a> {}',
                    "Needs your review, not approved:",
                    reverse("admin:dialogues_proposal_change", args=[proposal.pk]),
                    sentence(titles[proposal.pk]),
                    " ".join(error.messages),
                ),
                messages.WARNING,
            )
        except (PermissionDenied, ValidationError) as error:
            model_admin.message_user(request, not_decided_message(titles[proposal.pk], error), messages.ERROR)
        else:
            done += 1
    if done:
        model_admin.message_user(request, f"{counted(done, 'proposal')} approved.", messages.SUCCESS)


# --- Webhooks: Editors register endpoints; the delivery log shows what was sent and how it went.


class WebhookEndpointForm(forms.ModelForm):
    events = forms.MultipleChoiceField(
        choices=webhooks.Event.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Each delivery is a signed JSON POST; see the README's “Webhooks”.",
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["url", "description", "events", "is_active"]


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    form = WebhookEndpointForm
    list_display = ["__str__", "url", "event_list", "is_active", "deliveries_link"]
    list_filter = ["is_active"]
    search_fields = ["url", "description"]
    readonly_fields = ["secret", "created_by", "created_at"]

    def get_readonly_fields(self, request, obj=None):
        # The secret is made when the endpoint is saved: one shown on the empty form would
        # not be the one deliveries are signed with.
        return self.readonly_fields if obj is not None else []

    @admin.display(description="events")
    def event_list(self, obj):
        return ", ".join(obj.events)

    @admin.display(description="deliveries")
    def deliveries_link(self, obj):
        url = reverse("admin:dialogues_webhookdelivery_changelist") + f"?endpoint__id__exact={obj.pk}"
        return format_html('<a href="{}">log</a>', url)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


class RecordAdmin(admin.ModelAdmin):
    """A record the application keeps of what it did: listed for staff, written only by it."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(RecordAdmin):
    """The outbox and its log: read-only, but for sending failed deliveries again."""

    list_display = [
        "created_at",
        "event",
        "subject",
        "endpoint",
        "status",
        "attempts",
        "last_status_code",
        "deliver_after",
    ]
    list_filter = ["status", "event", "endpoint"]
    search_fields = ["resource", "endpoint__url", "idempotency_key"]
    list_select_related = ["endpoint"]
    date_hierarchy = "created_at"
    actions = ["send_again"]

    @admin.display(description="about")
    def subject(self, obj):
        return f"{obj.resource}: {obj.payload.get('slug', obj.object_id)}"

    def has_send_again_permission(self, request):
        return can_publish(request.user)

    @admin.action(description="Send the selected deliveries again now", permissions=["send_again"])
    def send_again(self, request, queryset):
        ids = webhooks.retry_now(queryset)
        transaction.on_commit(lambda: webhooks.enqueue(ids))
        self.message_user(request, f"Queued {len(ids)} deliveries to be sent again.", messages.SUCCESS)


@admin.register(Change)
class ChangeAdmin(RecordAdmin):
    """What the API's change feed told clients, in order: read-only."""

    list_display = ["pk", "recorded_at", "action", "resource", "slug", "object_id"]
    list_filter = ["action", "resource"]
    search_fields = ["slug"]
    date_hierarchy = "recorded_at"


@admin.register(FormerSlug)
class FormerSlugAdmin(RecordAdmin):
    """Slugs objects were known by before a rename, which still lead to them: read-only, kept
    by every save that changes a slug (``dialogues.models.base.record_slug_change``)."""

    list_display = ["slug", "content_type", "object_id", "replaced_at"]
    list_filter = ["content_type"]
    search_fields = ["slug"]
    date_hierarchy = "replaced_at"


# The import assistant's views live in their own module (issue #25).
from dialogues import admin_imports  # noqa: E402, F401
