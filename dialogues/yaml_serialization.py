"""The YAML format of ``loaddata`` (the article fixtures), with generic relations' objects named
by natural key and the fields each record gives marked (``dialogues.serialization``). Writing is
Django's own."""

from django.core.serializers.pyyaml import Deserializer as DjangoYAMLDeserializer
from django.core.serializers.pyyaml import Serializer

from dialogues.serialization import GivenFields, SubjectByNaturalKey

__all__ = ["Deserializer", "Serializer"]


class Deserializer(SubjectByNaturalKey, GivenFields, DjangoYAMLDeserializer):
    pass
