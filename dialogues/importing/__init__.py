"""The import assistant: pasted coverage → anchored proposals (issue #25).

``extract`` is pure Python (rules, no network, no model); ``dialogues.importing.service``
stores its result as a draft coverage with proposals an editor reviews."""

from .entities import Gazetteer, KnownEntity
from .extract import Extraction, Proposal, extract
from .text import ImportInputError

__all__ = ["Extraction", "Gazetteer", "ImportInputError", "KnownEntity", "Proposal", "extract"]
