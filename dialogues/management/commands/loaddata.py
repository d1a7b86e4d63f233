"""``loaddata`` that checks each record's fields before saving it, and records what it loaded
as the first version in history.

Django's own loaddata is already all-or-nothing, but a bad record surfaces as a database error
("CHECK constraint failed", "pk=None") that names neither the record nor the field. Here every
record is validated field by field first, so a failed import says which record and which field,
in one line, and loads nothing.

Rows loaded from a fixture are not edits, so saving them records no history; but then the
article's original wording could never be restored after an edit. Once the load is done, each
loaded object that has no history yet gets a baseline version. A backup holds its objects'
history already, so restoring one adds nothing and round-trips byte for byte."""

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.core.management.commands import loaddata
from simple_history.manager import HistoryManager

BASELINE_REASON = "Baseline: loaded from a fixture"


class Command(loaddata.Command):
    help = loaddata.Command.help + " Each record is validated field by field; a bad one stops the load."

    def loaddata(self, fixture_labels):
        self.loaded_with_history = {}
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
        saved = super().save_obj(obj)
        if saved and isinstance(getattr(type(instance), "history", None), HistoryManager):
            self.loaded_with_history.setdefault(type(instance), []).append(instance)
        return saved


def _name(instance):
    for attribute in ("slug", "username", "name"):
        value = getattr(instance, attribute, None)
        if value:
            return repr(value)
    return f"pk={instance.pk}"
