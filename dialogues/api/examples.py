"""Example requests and responses for the API's documentation, from the Chain Expo article.

Hand-kept copies of what the API answers (``tests/api/test_schema.py`` checks that each still
has every field its serializer gives), so a reader of the docs sees real data."""

from drf_spectacular.utils import OpenApiExample

QUOTE = {
    "id": 3,
    "url": "https://dialogue-desk.example/api/v1/quotes/huang-ai-digital-partner/",
    "html_url": "https://dialogue-desk.example/quotes/huang-ai-digital-partner/",
    "slug": "huang-ai-digital-partner",
    "text": "AI will become your “digital partner.”",
    "kind": "reported",
    "original_text": None,
    "original_language": None,
    "speakers": ["huang-renxun"],
    "speaker_names": [{"slug": "huang-renxun", "name": "Huang Renxun"}],
    "dialogue": "huang-renxun-wang-jian-chain-expo-2025",
    "coverage": "huang-renxun-wang-jian-three-overlooked-insights",
    "section": 2,
    "anchor": {
        "type": "TextQuoteSelector",
        "exact": 'As Huang Renxun said, AI will become your "digital partner."',
        "prefix": None,
        "suffix": None,
    },
    "topics": ["ai-and-humans"],
    "is_featured": True,
    "corrections": [],
    "withdrawn_at": None,
    "withdrawal_note": None,
    "created_at": "2025-07-24T02:00:00Z",
    "updated_at": "2025-07-24T02:00:00Z",
    "version": 1,
}

CLAIM = {
    "id": 7,
    "url": "https://dialogue-desk.example/api/v1/claims/coreweave-market-value-tripled/",
    "html_url": "https://dialogue-desk.example/claims/coreweave-market-value-tripled/",
    "slug": "coreweave-market-value-tripled",
    "statement": "Since its March 2025 IPO, CoreWeave's market value has nearly tripled to almost US$73 billion.",
    "kind": "figure",
    "attribution": "publication",
    "speakers": [],
    "speaker_names": [],
    "dialogue": "huang-renxun-wang-jian-chain-expo-2025",
    "coverage": "huang-renxun-wang-jian-three-overlooked-insights",
    "section": 3,
    "anchor": {
        "type": "TextQuoteSelector",
        "exact": "Since its IPO in March, CoreWeave's market value has nearly tripled, now approaching US$73 billion",
        "prefix": None,
        "suffix": None,
    },
    "status": "unverified",
    "checked_on": None,
    "check_note": None,
    "evidence": [],
    "evidence_sources": [],
    "figures": [
        {
            "label": "Market value as a multiple of its value at the March 2025 IPO",
            "value": "3.0000",
            "unit": "×",
            "qualifier": "nearly",
            "as_of": "2025-07-23",
        },
        {
            "label": "Market value",
            "value": "73000000000.0000",
            "unit": "USD",
            "qualifier": "nearly",
            "as_of": "2025-07-23",
        },
    ],
    "organizations_mentioned": ["coreweave"],
    "topics": ["ai-infrastructure"],
    "resolve_by": None,
    "resolution_criteria": None,
    "outcome": None,
    "corrections": [],
    "withdrawn_at": None,
    "withdrawal_note": None,
    "created_at": "2025-07-24T02:00:00Z",
    "updated_at": "2025-07-24T02:00:00Z",
    "version": 1,
}

CLAIM_IN_A_LIST = {
    "id": 7,
    "url": "https://dialogue-desk.example/api/v1/claims/coreweave-market-value-tripled/",
    "html_url": "https://dialogue-desk.example/claims/coreweave-market-value-tripled/",
    "slug": "coreweave-market-value-tripled",
    "statement": "Since its March 2025 IPO, CoreWeave's market value has nearly tripled to almost US$73 billion.",
    "kind": "figure",
    "attribution": "publication",
    "speakers": [],
    "speaker_names": [],
    "dialogue": "huang-renxun-wang-jian-chain-expo-2025",
    "coverage": "huang-renxun-wang-jian-three-overlooked-insights",
    "section": 3,
    "anchor": {
        "type": "TextQuoteSelector",
        "exact": "Since its IPO in March, CoreWeave's market value has nearly tripled, now approaching US$73 billion",
        "prefix": None,
        "suffix": None,
    },
    "status": "unverified",
    "checked_on": None,
    "check_note": None,
    "evidence": [],
    "figures": [
        {
            "label": "Market value as a multiple of its value at the March 2025 IPO",
            "value": "3.0000",
            "unit": "×",
            "qualifier": "nearly",
            "as_of": "2025-07-23",
        },
        {
            "label": "Market value",
            "value": "73000000000.0000",
            "unit": "USD",
            "qualifier": "nearly",
            "as_of": "2025-07-23",
        },
    ],
    "topics": ["ai-infrastructure"],
    "resolve_by": None,
    "resolution_criteria": None,
    "outcome": None,
    "withdrawn_at": None,
    "withdrawal_note": None,
    "created_at": "2025-07-24T02:00:00Z",
    "updated_at": "2025-07-24T02:00:00Z",
    "version": 1,
}

SPEAKER = {
    "id": 1,
    "url": "https://dialogue-desk.example/api/v1/speakers/huang-renxun/",
    "html_url": "https://dialogue-desk.example/speakers/huang-renxun/",
    "slug": "huang-renxun",
    "name": "Huang Renxun",
    "aliases": [
        {"name": "Jensen Huang", "language": "en", "note": "English name"},
        {"name": "黄仁勋", "language": "zh-Hans", "note": "Simplified Chinese"},
    ],
    "bio": "Founder and CEO of NVIDIA. The article uses the Chinese (pinyin) reading of his name; in English he is known as Jensen Huang.",
    "wikidata_id": "Q305177",
    "affiliations": [
        {
            "organization": "nvidia",
            "organization_name": "NVIDIA",
            "title": "founder and CEO",
            "valid_from": "1993-04-05",
            "valid_to": None,
        }
    ],
    "created_at": "2025-07-24T02:00:00Z",
    "updated_at": "2025-07-24T02:00:00Z",
    "version": 1,
}


def _response(summary, value):
    return OpenApiExample(summary, value=value, response_only=True)


def _request(summary, value):
    return OpenApiExample(summary, value=value, request_only=True)


QUOTE_EXAMPLES = [_response("Huang Renxun's “digital partner”", QUOTE)]
QUOTE_CHANGE_EXAMPLES = [
    _request(
        "Correct the wording of a published quote",
        {
            "text": "AI will become your “digital partner”.",
            "correction_note": "Moved the full stop outside the quotation marks, as the article has it.",
            "version": 1,
        },
    ),
    *QUOTE_EXAMPLES,
]
CLAIM_EXAMPLES = [_response("CoreWeave's market value, with its figures", CLAIM)]
CLAIM_LIST_EXAMPLES = [_response("CoreWeave's market value", CLAIM_IN_A_LIST)]
CLAIM_CHANGE_EXAMPLES = [
    _request(
        "Record a check of a published claim",
        {
            "check_note": "Market value checked against Nasdaq's close on 23 July 2025.",
            "checked_on": "2025-07-24",
            "correction_note": "Added the desk's check of the figure.",
            "version": 1,
        },
    ),
    *CLAIM_EXAMPLES,
]
SPEAKER_EXAMPLES = [_response("Huang Renxun, known in English as Jensen Huang", SPEAKER)]
SPEAKER_CHANGE_EXAMPLES = [
    _request("Update a speaker's biography", {"bio": "Founder and CEO of NVIDIA.", "version": 1}),
    *SPEAKER_EXAMPLES,
]

SITE = "https://dialogue-desk.example"
TOPIC = {
    "id": 4,
    "url": f"{SITE}/api/v1/topics/ai-and-humans/",
    "html_url": f"{SITE}/topics/ai-and-humans/",
    "slug": "ai-and-humans",
    "name": "AI and humans",
    "description": "How people live and work with AI: assistants, companions, the shift from tool to symbiosis.",
    "created_at": "2025-07-24T02:00:00Z",
    "updated_at": "2025-07-24T02:00:00Z",
}
ORGANIZATION = {
    "id": 2,
    "url": f"{SITE}/api/v1/organizations/alibaba-cloud/",
    "html_url": None,
    "slug": "alibaba-cloud",
    "name": "Alibaba Cloud",
    "kind": "company",
    "website": "https://www.alibabacloud.com/",
    "description": "Alibaba's cloud computing business, which originated in IaaS.",
    "created_at": "2025-07-24T02:00:00Z",
    "updated_at": "2025-07-24T02:00:00Z",
}
EVENT = {
    "id": 1,
    "url": f"{SITE}/api/v1/events/chain-expo-2025/",
    "html_url": f"{SITE}/events/chain-expo-2025/",
    "slug": "chain-expo-2025",
    "name": "China International Supply Chain Expo",
    "short_name": "Chain Expo",
    "edition": "3rd",
    "year": 2025,
    "city": "Beijing",
    "country": "China",
    "starts_on": "2025-07-16",
    "ends_on": "2025-07-20",
    "website": "https://en.cisce.org.cn/",
    "organizer": "ccpit",
    "description": "The third China International Supply Chain Expo, where Huang Renxun and Wang Jian held "
    "their dialogue.",
    "created_at": "2025-07-24T02:00:00Z",
    "updated_at": "2025-07-24T02:00:00Z",
    "version": 1,
}


def _writable(summary, item, *, add, change):
    """Examples for every operation of a resource: ``{action: [examples]}`` for extend_schema_view."""
    return {
        "list": [_response(summary, item)],  # drf-spectacular puts it in a page
        "retrieve": [_response(summary, item)],
        "create": [_request(add[0], add[1]), _response(summary, item)],
        "partial_update": [_request(change[0], change[1]), _response(summary, item)],
    }


TOPIC_EXAMPLES = _writable(
    "AI and humans",
    TOPIC,
    add=(
        "Add a topic",
        {"slug": "ai-and-humans", "name": "AI and humans", "description": TOPIC["description"]},
    ),
    change=("Reword a topic's description", {"description": TOPIC["description"]}),
)
ORGANIZATION_EXAMPLES = _writable(
    "Alibaba Cloud",
    ORGANIZATION,
    add=("Add a company", {"slug": "alibaba-cloud", "name": "Alibaba Cloud", "kind": "company"}),
    change=("Set an organization's website", {"website": "https://www.alibabacloud.com/"}),
)
EVENT_EXAMPLES = _writable(
    "The third Chain Expo",
    EVENT,
    add=(
        "Add an event",
        {"slug": "chain-expo-2025", "name": "China International Supply Chain Expo", "year": 2025},
    ),
    change=("Correct an event's dates", {"starts_on": "2025-07-16", "ends_on": "2025-07-20", "version": 1}),
)
DIALOGUE = {
    "id": 1,
    "url": f"{SITE}/api/v1/dialogues/huang-renxun-wang-jian-chain-expo-2025/",
    "html_url": f"{SITE}/dialogues/huang-renxun-wang-jian-chain-expo-2025/",
    "slug": "huang-renxun-wang-jian-chain-expo-2025",
    "title": "Huang Renxun and Wang Jian in dialogue at the Chain Expo",
    "event": "chain-expo-2025",
    "held_on": "2025-07-17",
    "format": "fireside_chat",
    "duration_minutes": 30,
    "summary": "A fireside dialogue of nearly half an hour between NVIDIA founder and CEO Huang Renxun "
    "and Alibaba Cloud founder Wang Jian.",
    "participants": [
        {"speaker": "wang-jian", "name": "Wang Jian", "role": "speaker", "position": 1},
        {"speaker": "huang-renxun", "name": "Huang Renxun", "role": "speaker", "position": 2},
    ],
    "topics": ["ai-and-humans", "bioengineering", "open-source", "physical-ai"],
    "created_at": "2025-07-24T02:00:00Z",
    "updated_at": "2025-07-24T02:00:00Z",
    "version": 1,
}
COMMENTARY = {
    "id": 1,
    "url": f"{SITE}/api/v1/commentary/the-signal-from-parameters-to-the-physical-world/",
    "html_url": f"{SITE}/coverage/huang-renxun-wang-jian-three-overlooked-insights/"
    "#commentary-the-signal-from-parameters-to-the-physical-world",
    "slug": "the-signal-from-parameters-to-the-physical-world",
    "coverage": "huang-renxun-wang-jian-three-overlooked-insights",
    "section": None,
    "title": "The signal: from parameters to the physical world",
    "body": "The article reads the dialogue as a marker of a turn in the industry: the conversation "
    "moves from **parameters, data and computing power** to AI's *interfaces with the real world*.",
    "body_html": "<p>The article reads the dialogue as a marker of a turn in the industry: the "
    "conversation moves from <strong>parameters, data and computing power</strong> to AI's "
    "<em>interfaces with the real world</em>.</p>",
    "position": 1,
    "quotes": [],
    "claims": ["generative-ai-boom-wanes"],
    "topics": ["physical-ai"],
    "withdrawn_at": None,
    "withdrawal_note": None,
    "created_at": "2025-07-24T02:00:00Z",
    "updated_at": "2025-07-24T02:00:00Z",
    "version": 1,
}
DIALOGUE_EXAMPLES = _writable(
    "Huang Renxun and Wang Jian at the Chain Expo",
    DIALOGUE,
    add=(
        "Add a dialogue to an event",
        {
            "slug": DIALOGUE["slug"],
            "title": DIALOGUE["title"],
            "event": "chain-expo-2025",
            "held_on": "2025-07-17",
            "format": "fireside_chat",
            "topics": ["open-source"],
        },
    ),
    change=("Correct a dialogue's length", {"duration_minutes": 30, "version": 1}),
)
COMMENTARY_EXAMPLES = _writable(
    "The desk's reading of the article",
    COMMENTARY,
    add=(
        "Add commentary to a draft",
        {
            "coverage": COMMENTARY["coverage"],
            "title": COMMENTARY["title"],
            "body": COMMENTARY["body"],
            "claims": ["generative-ai-boom-wanes"],
        },
    ),
    change=(
        "Reword published commentary",
        {
            "body": COMMENTARY["body"],
            "correction_note": "Named the three resources the industry talked about.",
            "version": 1,
        },
    ),
)
