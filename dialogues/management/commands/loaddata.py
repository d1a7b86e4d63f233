"""``loaddata`` that checks each record's fields before saving it.

Django's own loaddata is already all-or-nothing, but a bad record surfaces as a database error
("CHECK constraint failed", "pk=None") that names neither the record nor the field. Here every
record is validated field by field first, so a failed import says which record and which field,
in one line, and loads nothing."""

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.core.management.commands import loaddata


class Command(loaddata.Command):
    help = loaddata.Command.help + " Each record is validated field by field; a bad one stops the load."

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
        return super().save_obj(obj)


def _name(instance):
    for attribute in ("slug", "username", "name"):
        value = getattr(instance, attribute, None)
        if value:
            return repr(value)
    return f"pk={instance.pk}"
