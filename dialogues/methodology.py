"""What every label on the public pages means, for the methodology page (``/methodology/``).

The page is built from the models' own choices: a status or kind added to a model without its
meaning here fails the page's test instead of going unexplained. Each entry has an anchor,
``<group>-<value>``, that the badges on cards and pages link to (``includes/badges.html``)."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from dialogues.models import Claim, Quote

CLAIM_STATUS = {
    Claim.Status.UNVERIFIED: _(
        "We have not checked this claim yet, or could not find evidence either way. It is reported "
        "as said, not endorsed."
    ),
    Claim.Status.SUPPORTED: _(
        "Evidence we consider reliable confirms the claim. The claim's page lists that evidence "
        "and the date we checked it."
    ),
    Claim.Status.DISPUTED: _(
        "Credible sources disagree, or the evidence confirms part of the claim and contradicts "
        "another part. The check note says where the disagreement lies."
    ),
    Claim.Status.REFUTED: _(
        "Evidence we consider reliable contradicts the claim. The claim's page lists that "
        "evidence and the date we checked it."
    ),
    Claim.Status.OUTDATED: _(
        "The claim was accurate when it was made, but later events or figures have overtaken it."
    ),
}

CLAIM_KIND = {
    Claim.Kind.FACT: _("A statement about the world that can be checked against records."),
    Claim.Kind.FIGURE: _(
        "A number: an amount, a share, a count or a growth rate, with its unit and the date it holds for."
    ),
    Claim.Kind.PREDICTION: _(
        "A statement about the future. It stays open until its resolve-by date, when it is "
        "judged against its criteria."
    ),
    Claim.Kind.OPINION: _(
        "A judgment or view. It can be reported and argued with, not proven; it is usually left unverified."
    ),
    Claim.Kind.DEFINITION: _("How a speaker or the article uses a term."),
}

QUOTE_KIND = {
    Quote.Kind.VERBATIM: _("The speaker's exact words, as recorded or published in the source."),
    Quote.Kind.PARAPHRASE: _(
        "The article's restatement of what the speaker said, close in meaning but not in wording."
    ),
    Quote.Kind.REPORTED: _(
        "What the article reports the speaker said, in indirect speech (“he said that …”)."
    ),
    Quote.Kind.TRANSLATED: _(
        "The speaker's words translated from the language they spoke in; where we have it, the "
        "original text is shown beside the translation."
    ),
}

PREDICTION_OUTCOME = {
    Claim.Outcome.OPEN: _(
        "Not yet judged. “Open · resolve by” gives the date by which the prediction can be "
        "judged; until then it stays open, and its resolution criteria say what would count as "
        "coming true."
    ),
    Claim.Outcome.CAME_TRUE: _("Judged after its resolve-by date: its criteria were met."),
    Claim.Outcome.DID_NOT: _("Judged after its resolve-by date: its criteria were not met."),
}


@dataclass(frozen=True)
class Entry:
    anchor: str
    label: str
    meaning: str


@dataclass(frozen=True)
class Group:
    anchor: str
    title: str
    entries: tuple


# (anchor, title, the model's choices, their meanings), in the page's order.
GROUPS = (
    ("claim-status", _("Claim status"), Claim.Status, CLAIM_STATUS),
    ("claim-kind", _("Claim kind"), Claim.Kind, CLAIM_KIND),
    ("quote-kind", _("Quote kind"), Quote.Kind, QUOTE_KIND),
    ("prediction", _("Predictions"), Claim.Outcome, PREDICTION_OUTCOME),
)


def anchor(group, value):
    """The id of ``value``'s entry in ``group`` on the methodology page."""
    return f"{group}-{value}"


def groups():
    """Every group of labels, each choice of its model with its meaning (KeyError if one has none)."""
    return [
        Group(
            anchor=key,
            title=title,
            entries=tuple(
                Entry(anchor(key, choice.value), choice.label, meanings[choice]) for choice in choices
            ),
        )
        for key, title, choices, meanings in GROUPS
    ]
