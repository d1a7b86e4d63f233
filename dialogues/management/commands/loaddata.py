"""``loaddata`` that checks each record's fields before saving it, records what it loaded as the
first version in history, and changes what readers already saw only with a public note.

Django's own loaddata is already all-or-nothing, but a bad record surfaces as a database error
("CHECK constraint failed", "pk=None") that names neither the record nor the field. Here every
record is validated field by field first, so a failed import says which record and which field,
in one line, and loads nothing.

Rows loaded from a fixture are not edits, so saving them records no history; but then the
article's original wording could never be restored after an edit. Once the load is done, each
loaded object that has no history yet gets a baseline version. A backup holds its objects'
history already, so restoring one adds nothing and round-trips byte for byte.

Loading into a database that holds the records already is a write like any other
(docs: /work/shared/POLICY.md, "What readers see changes only visibly"): a record that changes
what readers of published content saw needs ``--correction-note``, published with the change,
or the command stops with a one-line reason and loads nothing (``services.visible_change``
decides, as for the admin and the API). Corrections are never rewritten. Fields a record leaves
out keep their stored values, so loading the article again cannot bring back a withdrawn quote,
forget a draft's owner or turn a version back."""

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.core.management.commands import loaddata
from django.utils import timezone
from simple_history.manager import HistoryManager

from dialogues import services
from dialogues.models.base import VersionedModel

BASELINE_REASON = "Baseline: loaded from a fixture"
CHANGE_REASON = "Changed by loading a fixture"


class Command(loaddata.Command):
    help = (
        loaddata.Command.help + " Each record is validated field by field; a bad one stops the load. "
        "Changing published content needs --correction-note."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--correction-note",
            default="",
            help="Public correction note for the published content this load changes; required then.",
        )

    def handle(self, *fixture_labels, **options):
        self.correction_note = options["correction_note"].strip()
        super().handle(*fixture_labels, **options)

    def loaddata(self, fixture_labels):
        self.loaded_with_history = {}
        self.changed, self.corrected = {}, []
        super().loaddata(fixture_labels)
        for model, instances in self.loaded_with_history.items():
            recorded = set(
                model.history.filter(id__in=[instance.pk for instance in instances]).values_list(
                    "id", flat=True
                )
            )
            baseline = [instance for instance in instances if instance.pk not in recorded]
            if baseline:
                model.history.bulk_history_create(baseline, default_change_reason=BASELINE_REASON)
            # A change to what was there is a version of its own, so it can be seen and undone.
            changed = [i for i in instances if i.pk in recorded and i.pk in self.changed.get(model, ())]
            if changed:
                reason = f"{CHANGE_REASON}: {self.correction_note}" if self.correction_note else CHANGE_REASON
                model.history.bulk_history_create(changed, default_change_reason=reason)
        for instance in self.corrected:
            services.correction_add(subject=instance, note=self.correction_note, by=None)

    def save_obj(self, obj):
        instance = obj.object
        # Relations are left to the database (checking them here would cost a query each), and
        # so are empty values of nullable fields, which the database accepts as they are.
        unchecked = [
            field.name
            for field in instance._meta.fields
            if field.is_relation or (field.null and getattr(instance, field.attname) is None)
        ]
        try:
            instance.clean_fields(exclude=unchecked)
        except ValidationError as error:
            problems = "; ".join(
                f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
            )
            raise CommandError(f"{instance._meta.label} {_name(instance)} is invalid: {problems}") from None
        excluded = instance._meta.app_config in self.excluded_apps or type(instance) in self.excluded_models
        stored = None
        if instance.pk is not None and not excluded:
            stored = type(instance)._base_manager.using(self.using).filter(pk=instance.pk).first()
        if stored is not None:
            self.check_change(obj, stored)
        saved = super().save_obj(obj)
        if saved and isinstance(getattr(type(instance), "history", None), HistoryManager):
            self.loaded_with_history.setdefault(type(instance), []).append(instance)
        return saved

    def check_change(self, obj, stored):
        """Loading ``obj`` over ``stored``: keep what the record leaves out, move the version on,
        and refuse a change readers would not be told about."""
        instance = obj.object
        fields = [field for field in instance._meta.concrete_fields if not field.primary_key]
        given = getattr(obj, "given_fields", None)
        for field in fields:
            if given is not None and field.name not in given:
                setattr(instance, field.attname, getattr(stored, field.attname))
        changed = [
            field.name
            for field in fields
            if field.name != "version"
            and field.value_from_object(instance) != field.value_from_object(stored)
        ]
        for name, pks in (obj.m2m_data or {}).items():
            if set(pks) != set(getattr(stored, name).values_list("pk", flat=True)):
                changed.append(name)
        if isinstance(stored, VersionedModel):  # never backwards: a client may hold the stored one
            instance.version = max(stored.version, instance.version) + 1 if changed else stored.version
        if not changed:
            return
        label = f"{instance._meta.label} {_name(stored)}"
        if instance._meta.model_name == "correction":
            raise CommandError(f"{label} would be rewritten: corrections are never changed, add another one.")
        try:
            note = services.visible_change(
                instance=stored, changed_fields=changed, note=self.correction_note, by=None
            )
        except ValidationError as error:
            raise CommandError(
                f"{label}: {' '.join(error.messages)} Nothing was loaded; give the note with "
                '--correction-note "…".'
            ) from None
        if given is not None and "updated_at" not in given and hasattr(instance, "updated_at"):
            instance.updated_at = timezone.now()  # what feeds and sitemaps date it by
        self.changed.setdefault(type(instance), set()).add(instance.pk)
        if note:
            self.corrected.append(instance)


def _name(instance):
    for attribute in ("slug", "username", "name"):
        value = getattr(instance, attribute, None)
        if value:
            return repr(value)
    return f"pk={instance.pk}"
