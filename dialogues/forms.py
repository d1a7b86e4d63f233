"""Admin forms: the editor-facing rules that need the whole form (many-to-many data, the
version an edit started from, a correction note) on top of the model's own validation."""

from django import forms
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from dialogues import services
from dialogues.models import Claim, Commentary, Coverage, Quote, Topic
from dialogues.newsroom import zone_label
from dialogues.validators import LANGUAGES


class LanguageSelect(forms.Select):
    """Languages by name (``validators.LANGUAGES``), storing the same BCP 47 tag as before. A
    stored tag the list lacks is offered as it is, so saving never changes it unasked."""

    def __init__(self, attrs=None):
        super().__init__(
            attrs, choices=[("", "—"), *((code, f"{name} ({code})") for code, name in LANGUAGES)]
        )

    def optgroups(self, name, value, attrs=None):
        known = {code for code, _label in self.choices}
        self.choices = [*self.choices, *((tag, tag) for tag in value if tag and tag not in known)]
        return super().optgroups(name, value, attrs)


LANGUAGE_FIELDS = frozenset({"language", "original_language", "translated_from"})


class VersionCheckForm(forms.ModelForm):
    """Carries the version the edit started from; a stale one is a form error, not an overwrite."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # From the database, not the instance: a history "revert" form holds an old copy.
            self.fields["expected_version"].initial = self.instance.current_version()

    def clean(self):
        cleaned = super().clean()
        expected = cleaned.get("expected_version")
        if self.instance.pk and expected is not None:
            current = self.instance.current_version()
            if current != expected:
                raise ValidationError(
                    f"Someone else saved this {self.instance._meta.verbose_name} while you were editing it "
                    f"(it is now at version {current}; you opened version {expected}). Your changes were not "
                    "saved: open it again to see theirs, then reapply yours.",
                    code="edit_conflict",
                )
            self.instance.expected_version = expected
        return cleaned


def noted_change(form, instance, changed_fields):
    """``services.visible_change`` for a form's ``correction_note`` and ``typo_fix``: the note
    to publish with the change, or ``""`` with the reason added to the form's errors."""
    try:
        return services.visible_change(
            instance=instance,
            changed_fields=changed_fields,
            note=form.cleaned_data.get("correction_note", ""),
            typo_fix=form.cleaned_data.get("typo_fix", False),
            by=form.user,
        )
    except ValidationError as error:
        form.add_error(None, error)
        return ""


class CorrectionNoteForm(VersionCheckForm):
    """Changing what readers already saw needs a public correction note, or an Editor's typo-fix
    mark (``services.visible_change``). The admin sets ``user`` on the form class."""

    user = None
    correction_note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required when changing what readers of published content see; shown to readers "
        "with today's date. With “typo fix”, it is kept in history instead.",
    )
    typo_fix = forms.BooleanField(
        required=False,
        label="Typo fix (Editors)",
        help_text="No public correction: the change is recorded in history as a typo fix.",
    )
    visible_change_note = ""
    slug_from = None  # the field a new item's slug is made from when left empty

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields and self.slug_from and self.instance.pk is None:
            slug = self.fields["slug"]
            slug.required = False
            slug.help_text = "Leave empty to make a short one (at most 60 characters) from the words."

    def _fill_slug(self, cleaned):
        """A new item's empty slug made from ``slug_from`` (``SluggedModel.short_slug``)."""
        new = self.instance.pk is None and "slug" in self.fields and "slug" not in self.errors
        if new and self.slug_from and not cleaned.get("slug") and cleaned.get(self.slug_from):
            cleaned["slug"] = self._meta.model.short_slug(
                cleaned[self.slug_from], speakers=cleaned.get("speakers") or ()
            )

    def clean(self):
        cleaned = super().clean()
        self._fill_slug(cleaned)
        if not self.instance.pk:
            return cleaned
        self.visible_change_note = noted_change(self, self.instance, self.changed_from_saved(cleaned))
        return cleaned

    def changed_from_saved(self, cleaned):
        """The fields whose value differs from the saved row. Not only ``changed_data``: a history
        restore's form starts from the old version, so restoring changes nothing it can see."""
        saved = type(self.instance)._base_manager.filter(pk=self.instance.pk).first()
        changed = set(self.changed_data)
        if saved is None:
            return changed
        for name, value in cleaned.items():
            try:
                field = self.instance._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if field.many_to_many:
                if {obj.pk for obj in value or []} != set(getattr(saved, name).values_list("pk", flat=True)):
                    changed.add(name)
            elif field.concrete:
                new = value.pk if isinstance(value, models.Model) else value
                if field.value_from_object(saved) != new:
                    changed.add(name)
        return changed


class RowsFormSet(forms.BaseInlineFormSet):
    """Rows typed into their parent's form that readers see as part of it (a claim's figures):
    changing them is changing the parent, so the parent form's correction note (or an Editor's
    typo-fix mark) is required as for its own fields (``services.visible_change``). The admin
    sets ``user`` on the formset class."""

    user = None
    visible_change_note = ""

    def clean(self):
        super().clean()
        parent = self.instance
        if parent.pk is None or not hasattr(parent, "needs_correction_note") or not self.has_changed():
            return
        try:
            self.visible_change_note = services.visible_change(
                instance=parent,
                changed_fields=[services.row_relation(self.model, self.fk.name)],
                # The parent's own fields, posted with the rows (the admin gives them no prefix).
                note=self.data.get("correction_note", ""),
                typo_fix=bool(self.data.get("typo_fix")),
                by=self.user,
            )
        except ValidationError as error:
            raise ValidationError(error.messages) from error


class RowForm(forms.ModelForm):
    """A row of a parent's form on a form of its own (a claim's figure, a coverage's section):
    adding or changing one of a parent readers have seen needs the parent's correction note, as
    on the parent's own form. The row model names its ``PARENT`` field and its ``VISIBLE_FIELDS``.
    The admin sets ``user``."""

    user = None
    correction_note = CorrectionNoteForm.base_fields["correction_note"]
    typo_fix = CorrectionNoteForm.base_fields["typo_fix"]
    visible_change_note = ""

    def clean(self):
        cleaned = super().clean()
        model = self._meta.model
        stored = model.objects.filter(pk=self.instance.pk).first() if self.instance.pk else None
        changed = set(self.changed_data) if stored is not None else set(model.VISIBLE_FIELDS)
        # The parent it leaves (if moved) and the parent it joins, each asked once.
        parent = cleaned.get(model.PARENT)
        moved = parent is not None and (stored is None or getattr(stored, f"{model.PARENT}_id") != parent.pk)
        joins = model(pk=self.instance.pk, **{model.PARENT: parent}) if moved else None
        for row in (stored, joins):
            if row is not None:
                self.visible_change_note = noted_change(self, row, changed)
        return cleaned


class AnchoredForm(CorrectionNoteForm):
    """Paste the passage as the article has it, give or take its quotes, dashes and line breaks:
    it is stored exactly as the source text has it, with the text before and after and, when
    left empty, the section filled in from where it sits (``AnchoredModel.anchor_to``)."""

    # Shown (as a checkbox) only once a save found a near miss: ticking it takes that passage.
    use_closest_passage = forms.BooleanField(
        required=False,
        widget=forms.HiddenInput,
        label="Use the closest passage",
        help_text="Anchor to the closest passage named in the error above instead of the text typed.",
    )

    def clean(self):
        cleaned = self.cleaned_data
        self._fill_slug(cleaned)
        # Before the correction-note check: pasted curly quotes that resolve to the stored
        # passage are no change, and a section filled in from the passage is one.
        self._anchor(cleaned)
        return super().clean()

    def _anchor(self, cleaned):
        coverage, pasted = cleaned.get("coverage"), cleaned.get("anchor_exact")
        if not coverage or not pasted:
            return
        statement = self._meta.model(coverage=coverage)
        try:
            start, _end = statement.anchor_to(
                pasted,
                prefix=cleaned.get("anchor_prefix", ""),
                suffix=cleaned.get("anchor_suffix", ""),
                or_closest=cleaned.get("use_closest_passage", False),
            )
        except ValidationError as error:
            self.add_error(None, error)
            if getattr(error, "closest", None) is not None:
                self.fields["use_closest_passage"].widget = forms.CheckboxInput()
            return
        for name in ("anchor_exact", "anchor_prefix", "anchor_suffix"):
            cleaned[name] = getattr(statement, name)
            setattr(self.instance, name, cleaned[name])
        context = ("anchor_prefix", "anchor_suffix")
        if (
            self.instance.pk is not None
            and cleaned["anchor_exact"] == self.initial.get("anchor_exact")
            and not set(context) & set(self.changed_data)
        ):
            # The saved passage, found again: its text before and after stays as saved (rows
            # loaded from fixtures have none), so a form saved unchanged proposes nothing.
            for name in context:
                cleaned[name] = self.initial.get(name, "")
                setattr(self.instance, name, cleaned[name])
        if (
            cleaned["anchor_exact"] == self.initial.get("anchor_exact")
            and "anchor_exact" in self.changed_data
        ):
            self.changed_data.remove("anchor_exact")  # pasted differently, the same passage
        # The section follows the passage: filled in when left empty, and moved with a passage
        # picked elsewhere ("Use selection") unless the editor chose a section in the same save.
        changed = set(self.changed_data)
        moved = self.instance.pk is None or {"anchor_exact", "coverage"} & changed
        if "section" in self.fields and (
            (not cleaned.get("section") and (moved or "section" in changed))
            or (moved and "section" not in changed)
        ):
            cleaned["section"] = coverage.section_at(start)


class QuoteAdminForm(AnchoredForm):
    slug_from = "text"

    class Meta:
        model = Quote
        fields = [
            "text",
            "slug",
            "kind",
            "speakers",
            "is_featured",
            "topics",
            "dialogue",
            "coverage",
            "section",
            "anchor_exact",
            "anchor_prefix",
            "anchor_suffix",
            "original_text",
            "original_language",
        ]

    def clean(self):
        cleaned = super().clean()
        if "speakers" in cleaned and cleaned.get("dialogue"):
            self.instance.dialogue = cleaned["dialogue"]
            try:
                self.instance.clean_speakers(list(cleaned["speakers"]))
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


def choices_help(choices):
    """Help text naming what each choice of a ``TextChoices`` with a ``help`` means."""
    return format_html(
        "<ul>{}</ul>",
        format_html_join("", "<li><strong>{}</strong>: {}</li>", ((c.label, c.help) for c in choices)),
    )


class ClaimAdminForm(AnchoredForm):
    slug_from = "statement"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, choices in (("kind", Claim.Kind), ("status", Claim.Status)):
            if name in self.fields:
                self.fields[name].help_text = choices_help(choices)

    class Meta:
        model = Claim
        fields = [
            "statement",
            "slug",
            "kind",
            "attribution",
            "speakers",
            "topics",
            "dialogue",
            "coverage",
            "section",
            "anchor_exact",
            "anchor_prefix",
            "anchor_suffix",
            "status",
            "checked_on",
            "check_note",
            "evidence",
            "resolve_by",
            "resolution_criteria",
            "outcome",
            "organizations_mentioned",
            "products_mentioned",
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("dialogue") and cleaned.get("status") and cleaned.get("attribution"):
            for name in ("dialogue", "status", "attribution"):
                setattr(self.instance, name, cleaned[name])
            try:
                self.instance.clean_related(
                    speakers=list(cleaned.get("speakers") or []), evidence=list(cleaned.get("evidence") or [])
                )
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


class NewsroomSplitDateTime(AdminSplitDateTime):
    """The admin's date and time inputs with the zone they are in written beside them: the
    admin runs in the newsroom's zone (``dialogues.newsroom``), not the browser's."""

    def render(self, name, value, attrs=None, renderer=None):
        inputs = super().render(name, value, attrs, renderer)
        return format_html('{}<p class="publish-zone help">Newsroom time: {}</p>', inputs, zone_label())


class CoverageAdminForm(CorrectionNoteForm):
    """Scheduling is a status of its own on the form: “Scheduled” is published with a time
    still to come (stored as published; ``Coverage.is_scheduled`` tells them apart)."""

    slug_from = "title"

    SCHEDULED = "scheduled"
    scheduling = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        status = self.fields.get("status")  # read-only, and so absent, for Contributors
        if status is not None and Coverage.Status.PUBLISHED in dict(status.choices):
            status.choices = [*status.choices, (self.SCHEDULED, "Scheduled")]
            status.help_text = (
                "Published goes live at the publish time (now if empty); Scheduled waits for a "
                "publish time still to come."
            )
            if self.instance.pk and self.instance.is_scheduled:
                self.initial["status"] = self.SCHEDULED

    def clean_status(self):
        status = self.cleaned_data.get("status")
        self.scheduling = status == self.SCHEDULED
        return Coverage.Status.PUBLISHED if self.scheduling else status

    class Meta:
        model = Coverage
        fields = [
            "title",
            "slug",
            "dek",
            "dialogue",
            "topics",
            "status",
            "publish_at",
            "source_publication",
            "author",
            "original_url",
            "original_published_on",
            "language",
            "translated_from",
            "copyright_notice",
            "source_text",
        ]
        widgets = {"publish_at": NewsroomSplitDateTime}

    def clean(self):
        cleaned = super().clean()
        publish_at = cleaned.get("publish_at")
        schedules_now = publish_at is None or publish_at <= timezone.now()
        if self.scheduling and schedules_now and "publish_at" not in self.errors:
            self.add_error(
                "publish_at",
                f"To schedule, set a publish time still to come, in newsroom time: {zone_label()}.",
            )
            # add_error drops the time; the model would then also say none was set.
            cleaned["publish_at"] = publish_at
        # "Published" with no time means now; a future time schedules it.
        if cleaned.get("status") == Coverage.Status.PUBLISHED and not publish_at:
            cleaned["publish_at"] = services.publish_time_now()
        return cleaned


class CommentaryAdminForm(CorrectionNoteForm):
    class Meta:
        model = Commentary
        fields = ["coverage", "section", "title", "slug", "body", "position", "quotes", "claims", "topics"]


class SetTopicForm(forms.Form):
    """The topic a bulk action files the selected quotes or claims under."""

    topic = forms.ModelChoiceField(queryset=Topic.objects.all(), empty_label="Choose a topic")
