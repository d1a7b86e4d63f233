"""How long the import assistant takes on a 20,000-word transcript (issue #25: under 5 s).

    .venv/bin/python bench/import_speed.py [--words 20000] [--known 3000]

Builds a deterministic transcript (speaker turns, reported speech, figures, names) in a
throwaway in-memory SQLite database holding ``--known`` organizations besides the speakers,
then times the extraction alone and the whole import (extraction, draft coverage, sections,
proposals). Prints one JSON line. Not a test: wall-clock numbers belong here, not in asserts."""

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TURNS = [
    "We think physical AI is the next wave, and every factory will become a robotics factory.",
    "The cost of inference fell by about 90% in two years, and it keeps falling.",
    "Open source matters because developers everywhere can inspect and improve the models.",
    "Our cloud revenue grew by more than 30% last year, to nearly US$20 billion.",
    "I believe the next decade belongs to companies that build platforms, not single products.",
    "Robots need to understand the physical world before they can work beside people.",
]
NARRATION = [
    '"{quote}," {name} said.',
    "{name} pointed out that {lower}",
    "As {name} put it, {lower}",
    "He added that the partnership with {org} has grown to about 1,200 engineers.",
    "Both speakers agreed that {lower}",
    "{org} and {org2} were mentioned as partners, with a market value approaching US$73 billion.",
]


def transcript(words, *, seed=25):
    rng = random.Random(seed)
    speakers = ["Jensen Huang", "Wang Jian"]
    orgs = ["Acme Robotics", "CoreWeave", "Harmonic Drive", "Nabtesco", "QuestMobile"]
    parts, count, section = ["A Long Conversation: The Full Transcript"], 0, 0
    while count < words:
        if count // 4000 >= section:
            section += 1
            parts.append(f"{section:02d}\n\nPart {section} of the Conversation Number {section}")
        turn = rng.choice(TURNS)
        if rng.random() < 0.5:
            line = f"{rng.choice(speakers)}: {turn}"
        else:
            line = rng.choice(NARRATION).format(
                quote=turn.rstrip("."),
                lower=turn[0].lower() + turn[1:],
                name=rng.choice(speakers),
                org=rng.choice(orgs),
                org2=rng.choice(orgs),
            )
        parts.append(line)
        count += len(line.split())
    return "\n\n".join(parts), count


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--words", type=int, default=20000)
    parser.add_argument("--known", type=int, default=3000, help="organizations already on record")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    os.environ["DATABASE_URL"] = "sqlite://:memory:"
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from dialogues.importing import extract
    from dialogues.importing.service import import_coverage, known_entities
    from dialogues.models import Dialogue, Event, Organization, Participant, Speaker, SpeakerAlias

    call_command("migrate", verbosity=0)
    huang = Speaker.objects.create(name="Huang Renxun", slug="huang-renxun")
    SpeakerAlias.objects.create(speaker=huang, name="Jensen Huang")
    wang = Speaker.objects.create(name="Wang Jian", slug="wang-jian")
    Organization.objects.bulk_create(
        Organization(name=f"Company {n:05d}", slug=f"company-{n}") for n in range(args.known)
    )
    event = Event.objects.create(name="Bench Expo", slug="bench-expo", year=2025)
    dialogue = Dialogue.objects.create(title="Bench dialogue", slug="bench", event=event)
    Participant.objects.create(dialogue=dialogue, speaker=huang)
    Participant.objects.create(dialogue=dialogue, speaker=wang, position=1)
    editor = get_user_model().objects.create_user("bench", is_staff=True, is_superuser=True)

    text, words = transcript(args.words)
    known = known_entities()
    # CPU seconds too: on a shared machine the wall clock measures the neighbours as well.
    started, cpu = time.perf_counter(), time.process_time()
    result = extract(text, known=known)
    extract_seconds, extract_cpu = time.perf_counter() - started, time.process_time() - cpu
    started, cpu = time.perf_counter(), time.process_time()
    imported = import_coverage(by=editor, text=text, dialogue=dialogue)
    import_seconds, import_cpu = time.perf_counter() - started, time.process_time() - cpu
    # The review screen an editor opens next, with every proposal of the transcript on it.
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(editor)
    started, cpu = time.perf_counter(), time.process_time()
    review = client.get(reverse("admin:dialogues_import_review", args=[imported.coverage.pk]))
    review_seconds, review_cpu = time.perf_counter() - started, time.process_time() - cpu
    assert review.status_code == 200, review.status_code
    print(
        json.dumps(
            {
                "words": words,
                "known_organizations": args.known,
                "extract_seconds": round(extract_seconds, 2),
                "extract_cpu_seconds": round(extract_cpu, 2),
                "import_seconds": round(import_seconds, 2),
                "import_cpu_seconds": round(import_cpu, 2),
                "review_page_seconds": round(review_seconds, 2),
                "review_page_cpu_seconds": round(review_cpu, 2),
                "review_page_bytes": len(review.content),
                "load_average": os.getloadavg()[0],
                "proposals": len(imported.proposals),
                **{k: v for k, v in result.summary().items() if k != "seconds"},
            }
        )
    )


if __name__ == "__main__":
    main()
