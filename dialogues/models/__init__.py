from .base import published_q
from .coverage import Coverage, Section
from .events import Dialogue, Event, Participant
from .imports import ImportProposal
from .people import Affiliation, Organization, Product, Speaker, SpeakerAlias, Topic
from .proposals import Proposal
from .sources import FactSource
from .statements import Claim, ClaimFigure, Commentary, Correction, EvidenceSource, Quote

__all__ = [
    "Affiliation",
    "Claim",
    "ClaimFigure",
    "Commentary",
    "Correction",
    "Coverage",
    "Dialogue",
    "Event",
    "EvidenceSource",
    "FactSource",
    "ImportProposal",
    "Organization",
    "Participant",
    "Product",
    "Proposal",
    "Quote",
    "Section",
    "Speaker",
    "SpeakerAlias",
    "Topic",
    "published_q",
]
