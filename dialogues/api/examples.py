"""Example requests and responses for the API's documentation, from the Chain Expo article.

Hand-kept copies of what the API answers, so a reader of the docs sees real data: every
operation has one for its answer and its main error, and one for its request if it takes a
body. ``tests/api/test_examples.py`` holds them to that and to the truth: each answer has the
fields the real one has, each error is provoked and says what the API says, and each request
is sent and accepted."""

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
    "id": 2,
    "url": f"{SITE}/api/v1/topics/open-source/",
    "html_url": f"{SITE}/topics/open-source/",
    "slug": "open-source",
    "name": "Open source",
    "aliases": [{"name": "开源", "language": "zh-Hans", "note": "Chinese name"}],
    "description": "Open models, open source code and open hardware interfaces as technology route and business strategy.",
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
    "Open source, known in Chinese as 开源",
    TOPIC,
    add=(
        "Add a topic",
        {"slug": TOPIC["slug"], "name": TOPIC["name"], "description": TOPIC["description"]},
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
            "slug": COMMENTARY["slug"],
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


# --- Coverage, fact sources, the change feed, imports, actions and errors.

COVERAGE = {
    "id": 1,
    "url": f"{SITE}/api/v1/coverage/huang-renxun-wang-jian-three-overlooked-insights/",
    "html_url": f"{SITE}/coverage/huang-renxun-wang-jian-three-overlooked-insights/",
    "slug": "huang-renxun-wang-jian-three-overlooked-insights",
    "title": "Huang Renxun and Wang Jian's Dialogue: Three Overlooked Key Insights",
    "dek": "From the evolution of AI trends to business wars within the industrial chain.",
    "dialogue": "huang-renxun-wang-jian-chain-expo-2025",
    "source_publication": None,
    "author": None,
    "copyright_notice": "Solemnly declare: the copyright of this article belongs to the original author.",
    "original_url": None,
    "language": "en",
    "translated_from": "zh",
    "original_published_on": "2025-07-23",
    "status": "published",
    "publish_at": "2025-07-23T08:00:00Z",
    "topics": ["ai-and-humans", "open-source", "physical-ai"],
    "sections": [
        {
            "number": 1,
            "title": "From Cognitive AI to Physical AI",
            "subtitle": "Where lies the boundary of imagination for the next AI revolution?",
        },
    ],
    "source_text": "Huang Renxun and Wang Jian's Dialogue: Three Overlooked Key Insights\n\n"
    "From the evolution of AI trends to business wars within the industrial chain.\n\n"
    "This year, at the Chain Expo, Alibaba Cloud founder Wang Jian and NVIDIA founder and CEO "
    "Huang Renxun engaged in a dialogue lasting nearly half an hour. (…the whole article)",
    "corrections": [],
    "created_at": "2025-07-23T08:00:00Z",
    "updated_at": "2025-07-23T08:00:00Z",
    "version": 1,
}
COVERAGE_EXAMPLES = _writable(
    "The Chain Expo article",
    COVERAGE,
    add=(
        "Add a draft",
        {
            "slug": "huang-renxun-wang-jian-three-overlooked-insights",
            "title": COVERAGE["title"],
            "dialogue": "huang-renxun-wang-jian-chain-expo-2025",
            "language": "en",
            "source_text": "Huang Renxun and Wang Jian's Dialogue: Three Overlooked Key Insights\n\n…",
        },
    ),
    change=(
        "Reword a published dek",
        {
            "dek": "From AI's next stage to the business wars of the industrial chain.",
            "correction_note": "Reworded the summary to match the article.",
            "version": 1,
        },
    ),
)
COVERAGE_STEP_EXAMPLES = {
    "submit": [
        _response("In review, waiting for an Editor", {**COVERAGE, "status": "in_review", "publish_at": None})
    ],
    "publish": [
        _request("Publish a draft (nothing else to say)", {}),
        _response("Published", COVERAGE),
    ],
    "unpublish": [
        _request("Take it down, saying why", {"correction_note": "Taken down while the rights are checked."}),
        _response("Back to draft", {**COVERAGE, "status": "draft", "publish_at": None, "version": 2}),
    ],
}

FACT_SOURCE = {
    "id": 1,
    "subject_type": "dialogues.dialogue",
    "subject_id": 1,
    "fact": "held_on",
    "title": "链博会上王坚对话黄仁勋,后者直言“杭州是中国的硅谷” (Hangzhou.com.cn, 17 July 2025)",
    "url": "https://news.hangzhou.com.cn/zjnews/content/2025-07/17/content_9041024.htm",
    "accessed_on": "2025-07-24",
    "note": "Dates the fireside chat to the morning of 17 July 2025. The article says only “this year”.",
    "confirmed": True,
    "confirmed_at": "2025-07-24T09:30:00Z",
    "created_at": "2025-07-24T02:00:00Z",
    "updated_at": "2025-07-24T09:30:00Z",
}
FACT_SOURCE_EXAMPLES = [_response("Where the dialogue's date comes from", FACT_SOURCE)]

CHANGE_PAGE = {
    "cursor": "2",
    "next": None,
    "results": [
        {
            "cursor": "1",
            "resource": "quotes",
            "id": 3,
            "slug": "huang-ai-digital-partner",
            "action": "updated",
            "recorded_at": "2025-07-25T10:00:00Z",
            "url": QUOTE["url"],
        },
        {
            "cursor": "2",
            "resource": "fact-sources",
            "id": 1,
            "slug": None,
            "action": "published",
            "recorded_at": "2025-07-25T10:00:00Z",
            "url": f"{SITE}/api/v1/fact-sources/1/",
        },
    ],
}
CHANGE_EXAMPLES = [_response("A quote corrected and a fact source added", CHANGE_PAGE)]

IMPORT_EXAMPLES = [
    _request(
        "Import an article as Markdown",
        {
            "text": "# Huang Renxun and Wang Jian's Dialogue\n\nHuang Renxun said: “AI will be your partner.”\n",
            "format": "markdown",
            "title": "Huang Renxun and Wang Jian's Dialogue",
            "dialogue": "huang-renxun-wang-jian-chain-expo-2025",
            "source_publication": "Chain Expo News",
            "original_url": "https://example.com/huang-wang",
            "original_published_on": "2025-07-23",
            "language": "en",
        },
    ),
    _response(
        "A draft, what the assistant found, and where its proposals are",
        {
            "coverage": {
                "id": 7,
                "slug": "huang-renxun-and-wang-jians-dialogue",
                "title": "Huang Renxun and Wang Jian's Dialogue",
                "status": "draft",
                "sections": ["Huang Renxun and Wang Jian's Dialogue"],
                "review_url": "/admin/dialogues/importproposal/review/7/",
            },
            "summary": {"sections": 1, "quote": 1, "claim": 1, "figure": 0, "entity": 0, "seconds": 0.007},
            "proposals_url": f"{SITE}/api/v1/imports/7/proposals/",
        },
    ),
]
IMPORT_PROPOSAL = {
    "id": 1,
    "kind": "quote",
    "status": "pending",
    "position": 27,
    "anchor": {
        "type": "TextQuoteSelector",
        "exact": "AI will be your partner.",
        "prefix": "Huang Renxun said: “",
        "suffix": "”",
    },
    "data": {
        "text": "AI will be your partner.",
        "kind": "verbatim",
        "speakers": [1],
        "speaker_names": ["Huang Renxun"],
    },
    "parent": None,
}
IMPORT_PROPOSALS_EXAMPLES = [_response("A quote the assistant proposes", IMPORT_PROPOSAL)]  # put in a page

WITHDRAWN = {"withdrawn_at": "2025-07-26T09:00:00Z", "withdrawal_note": "Misattributed: Wang Jian said it."}
WITHDRAW_REQUEST = _request("Withdraw with a note readers see", {"note": WITHDRAWN["withdrawal_note"]})


def withdrawn(summary, item):
    return [WITHDRAW_REQUEST, _response(summary, {**item, **WITHDRAWN, "version": item["version"] + 1})]


QUOTE_ADD_EXAMPLES = [
    _request(
        "Add a quote at its passage",
        {
            "text": QUOTE["text"],
            "kind": "reported",
            "speakers": ["huang-renxun"],
            "dialogue": QUOTE["dialogue"],
            "coverage": QUOTE["coverage"],
            "anchor": {"exact": QUOTE["anchor"]["exact"]},
            "topics": ["ai-and-humans"],
        },
    ),
    *QUOTE_EXAMPLES,
]
CLAIM_ADD_EXAMPLES = [
    _request(
        "Add the article's own claim",
        {
            "statement": CLAIM["statement"],
            "kind": "figure",
            "attribution": "publication",
            "speakers": [],
            "dialogue": CLAIM["dialogue"],
            "coverage": CLAIM["coverage"],
            "anchor": {"exact": CLAIM["anchor"]["exact"]},
        },
    ),
    *CLAIM_EXAMPLES,
]
SPEAKER_ADD_EXAMPLES = [
    _request(
        "Add a speaker",
        {"slug": "huang-renxun", "name": "Huang Renxun", "bio": SPEAKER["bio"]},
    ),
    *SPEAKER_EXAMPLES,
]

PROPOSAL = {
    "id": 12,
    "status": "pending",
    "detail": "Your change was sent to an Editor for review.",
    "target": "quote/3",
    "changes": {"text": "AI will become your “digital partner”."},
    "proposed_at": "2025-07-25T08:00:00Z",
    "review_url": f"{SITE}/admin/dialogues/proposal/12/change/",
}


def _error(status, message, errors=None, **extra):
    return {"message": message, "status": status, "errors": errors or {}, **extra}


# The main error of each kind of operation: ``{(action, status): (summary, body)}``, copied from
# what the API answers (``tests/api/test_schema.py`` provokes each and compares).
ERRORS = {
    ("list", "400"): (
        "A filter value no visible item has",
        _error(
            400,
            "Invalid input.",
            {"speaker": ["Select a valid choice. That choice is not one of the available choices."]},
        ),
    ),
    ("list", "404"): (
        "A page past the end",
        _error(404, "There is no page 7: the last page is 3.", last_page=3),
    ),
    ("retrieve", "404"): ("No such item, or not published", _error(404, "Not Found")),
    ("retrieve", "410"): (
        "Withdrawn",
        _error(
            410,
            f"This quote was withdrawn on 2025-07-26: {WITHDRAWN['withdrawal_note']}",
            **WITHDRAWN,
        ),
    ),
    ("create", "400"): (
        "Required fields missing",
        _error(400, "Invalid input.", {"coverage": ["This field is required."]}),
    ),
    ("partial_update", "409"): (
        "Someone changed it since you read it",
        _error(
            409,
            "This was changed by someone else: it is at version 2, you sent version 1. Fetch it "
            "again and reapply your change.",
        ),
    ),
    ("partial_update", "400"): (
        "Not a slug",
        _error(
            400,
            "Invalid input.",
            {"slug": ["Enter a valid “slug” consisting of letters, numbers, underscores or hyphens."]},
        ),
    ),
    ("destroy", "403"): (
        "Published: withdraw it instead",
        _error(
            403,
            "Published quotes, claims and commentary are never deleted: withdraw it with a public "
            "note instead.",
        ),
    ),
    ("destroy", "409"): (
        "Still in use",
        _error(409, "Still referenced by: CUDA; NVLink. Remove those references first."),
    ),
    ("withdraw", "400"): ("No note", _error(400, "Invalid input.", {"note": ["This field is required."]})),
    ("publish", "403"): (
        "Not an Editor",
        _error(403, "Only editors can publish: submit it for review and an Editor publishes it."),
    ),
    ("submit", "403"): (
        "Another contributor's draft",
        _error(403, "This draft is another contributor's: ask them, or an Editor."),
    ),
    ("unpublish", "400"): (
        "Readers saw it: say why",
        _error(
            400,
            "Invalid input.",
            {"correction_note": ["This is published: say in a public correction note why status changed."]},
        ),
    ),
    ("changes", "400"): (
        "Not a cursor",
        _error(400, "Invalid input.", {"since": ["Pass a cursor this feed gave you (a whole number)."]}),
    ),
    ("import", "400"): (
        "No text",
        _error(400, "Invalid input.", {"text": ["This field is required."]}),
    ),
    ("import-proposals", "403"): (
        "Someone else's draft",
        _error(403, "You may not work on this coverage."),
    ),
}
