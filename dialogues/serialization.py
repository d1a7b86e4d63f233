"""The JSON format of ``dumpdata`` and ``loaddata``, made lossless for backups.

Django's JSON encoder writes times to the millisecond, for JavaScript's sake; a backup restored
from it would lose the microseconds every timestamp holds here. Installed over the built-in
"json" format by ``SERIALIZATION_MODULES``; reading is Django's own.
"""

import datetime

from django.core.serializers.json import Deserializer, DjangoJSONEncoder
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
