from .base import FormerSlug, published_q
from .changes import Change, ChangeFeedState, PublicRecord
from .coverage import Coverage, Section
from .events import Dialogue, Event, Participant
from .imports import ImportProposal
from .people import (
    Affiliation,
    Organization,
    OrganizationAlias,
    Product,
    Speaker,
    SpeakerAlias,
    Topic,
    TopicAlias,
)
from .proposals import Proposal
from .sources import FactSource
from .statements import Claim, ClaimFigure, Commentary, Correction, EvidenceSource, Quote
from .webhooks import WebhookDelivery, WebhookEndpoint

__all__ = [
    "Affiliation",
    "Change",
    "ChangeFeedState",
    "Claim",
    "ClaimFigure",
    "Commentary",
    "Correction",
    "Coverage",
    "Dialogue",
    "Event",
    "EvidenceSource",
    "FactSource",
    "FormerSlug",
    "ImportProposal",
    "Organization",
    "Participant",
    "Product",
    "Proposal",
    "PublicRecord",
    "Quote",
    "Section",
    "Speaker",
    "OrganizationAlias",
    "SpeakerAlias",
    "Topic",
    "TopicAlias",
    "WebhookDelivery",
    "WebhookEndpoint",
    "published_q",
]
