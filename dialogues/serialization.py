"""The JSON format of ``dumpdata`` and ``loaddata``, made lossless for backups.

Django's JSON encoder writes times to the millisecond, for JavaScript's sake; a backup restored
from it would lose the microseconds every timestamp holds here. Installed over the built-in
"json" format by ``SERIALIZATION_MODULES``; reading is Django's own, except that a generic
relation's object may be named by natural key (``SubjectByNaturalKey``), and each object knows
which fields its record gave (``GivenFields``).
"""

import datetime

from django.apps import apps
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import Deserializer as DjangoJSONDeserializer
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.json import Serializer as DjangoJSONSerializer

__all__ = ["Deserializer", "Serializer"]


class ExactTimeJSONEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        if isinstance(o, datetime.time) and o.tzinfo is None:
            return o.isoformat()
        return super().default(o)


class Serializer(DjangoJSONSerializer):
    def serialize(self, queryset, **options):
        options.setdefault("cls", ExactTimeJSONEncoder)
        return super().serialize(queryset, **options)


class GivenFields:
    """Marks each object read with the fields its record gives (``given_fields``): ``loaddata``
    keeps what is stored for the fields a record leaves out, rather than their defaults."""

    def _handle_object(self, obj):
        given = frozenset(obj.get("fields", {}))
        for deserialized in super()._handle_object(obj):
            deserialized.given_fields = given
            yield deserialized


class SubjectByNaturalKey:
    """Lets a fixture name the object of a generic relation by its natural key, as it names
    any other related object: ``{content_type: [dialogues, event], subject: [chain-expo-2025]}``
    becomes the ``object_id`` of that event in the database being loaded. Row ids differ from
    one database to the next; natural keys do not."""

    def _handle_object(self, obj):
        fields = obj.get("fields", {})
        if "subject" in fields and "content_type" in fields:
            fields = dict(fields)
            subject_key = fields.pop("subject")
            app_label, model_name = fields["content_type"]
            model = apps.get_model(app_label, model_name)
            try:
                subject = model._default_manager.db_manager(self.using).get_by_natural_key(*subject_key)
            except model.DoesNotExist as error:
                raise DeserializationError(f"{obj['model']}: no {model_name} {subject_key}") from error
            fields["object_id"] = subject.pk
            obj = {**obj, "fields": fields}
        yield from super()._handle_object(obj)


# SubjectByNaturalKey first: the record GivenFields sees names ``object_id``, not ``subject``.
class Deserializer(SubjectByNaturalKey, GivenFields, DjangoJSONDeserializer):
    pass
