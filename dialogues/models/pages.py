"""What the public pages read, compiled once per process (``compiled.CompiledQuery``).

Each is called with the reader's ``preview`` (``can_preview``: may they see drafts?), the ids
or slug the page is about, and ``now``, the time “published” is judged at; each returns model
instances as the queryset would.
"""

from .compiled import CompiledQuery
from .events import Dialogue
from .people import Speaker
from .statements import Claim, Quote

speaker_by_slug = CompiledQuery(
    lambda preview, *, slug, now: (
        Speaker.objects.visible_when(preview=preview).prefetch_related("aliases").filter(slug=slug)
    )
)


def _latest_by_speaker(model):
    return CompiledQuery(
        lambda preview, latest, *, speaker, now: (
            model.objects.visible_when(preview=preview)
            .by_speaker(speaker)
            .card_rows()
            .newest_first()[:latest]
        )
    )


latest_quotes_by_speaker = _latest_by_speaker(Quote)
latest_claims_by_speaker = _latest_by_speaker(Claim)

speaker_dialogues = CompiledQuery(
    lambda preview, *, speaker, now: (
        Dialogue.objects.visible_when(preview=preview)
        .filter(participants__speaker=speaker)
        .select_related("event")
        .annotate(
            quote_count=Quote.objects.visible_when(preview=preview).by_speaker(speaker).count_per_dialogue(),
            claim_count=Claim.objects.visible_when(preview=preview).by_speaker(speaker).count_per_dialogue(),
        )
    )
)
