"""The YAML format of ``loaddata`` (the article fixtures), with generic relations' objects named
by natural key (``dialogues.serialization.SubjectByNaturalKey``). Writing is Django's own."""

from django.core.serializers.pyyaml import Deserializer as DjangoYAMLDeserializer
from django.core.serializers.pyyaml import Serializer

from dialogues.serialization import SubjectByNaturalKey

__all__ = ["Deserializer", "Serializer"]


class Deserializer(SubjectByNaturalKey, DjangoYAMLDeserializer):
    pass
