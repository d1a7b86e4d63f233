"""Scoring the import assistant's proposals against what an editor entered: recall and
precision per kind, by passage overlap (quotes, claims), value and unit (figures) or name
(entities). Used by tests/test_import_evaluation.py; README.md quotes its numbers."""

import re
from dataclasses import dataclass
from decimal import Decimal


def overlaps(a, b):
    """Two passages are the same item when they share at least half of the shorter one."""
    shared = min(a[1], b[1]) - max(a[0], b[0])
    return shared > 0 and shared >= 0.5 * min(a[1] - a[0], b[1] - b[0])


@dataclass
class Score:
    found: int  # expected items some proposal matches
    expected: int
    correct: int  # proposals that match some expected item
    proposed: int
    extra: int = 0  # expected items matched with the right detail (speaker, kind, …)

    @property
    def recall(self):
        return self.found / self.expected if self.expected else 1.0

    @property
    def precision(self):
        return self.correct / self.proposed if self.proposed else 1.0

    @property
    def detail(self):
        return self.extra / self.found if self.found else 1.0

    def __str__(self):
        return (
            f"recall {self.found}/{self.expected} = {self.recall:.0%}, "
            f"precision {self.correct}/{self.proposed} = {self.precision:.0%}, detail {self.detail:.0%}"
        )


def score_spans(expected, proposed, same=lambda e, p: True):
    """``expected`` and ``proposed``: lists of ``((start, end), detail)``."""
    found = [e for e in expected if any(overlaps(e[0], p[0]) for p in proposed)]
    right = [e for e in expected if any(overlaps(e[0], p[0]) and same(e[1], p[1]) for p in proposed)]
    correct = [p for p in proposed if any(overlaps(e[0], p[0]) for e in expected)]
    return Score(len(found), len(expected), len(correct), len(proposed), len(right))


def score_figures(expected, proposed):
    """``(value, unit)`` pairs; each expected figure is matched at most once."""
    remaining = list(proposed)
    found = 0
    for value, unit in expected:
        for candidate in remaining:
            if Decimal(str(candidate[0])) == Decimal(str(value)) and candidate[1] == unit:
                remaining.remove(candidate)
                found += 1
                break
    return Score(found, len(expected), found, len(proposed), found)


def _names(name):
    """A record's name and the forms text uses for it: "Analog Devices (ADI)" is also "ADI"."""
    names = {name.casefold()}
    names |= {part.strip().casefold() for part in re.findall(r"\(([^)]+)\)", name)}
    names.add(re.sub(r"\s*\([^)]*\)", "", name).casefold())
    return names


def same_entity(expected_name, proposed_name):
    for e in _names(expected_name):
        for p in _names(proposed_name):
            if (
                e == p
                or re.search(rf"(?<!\w){re.escape(e)}(?!\w)", p)
                or re.search(rf"(?<!\w){re.escape(p)}(?!\w)", e)
            ):
                return True
    return False


def score_entities(expected, proposed):
    found = [e for e in expected if any(same_entity(e, p) for p in proposed)]
    correct = [p for p in proposed if any(same_entity(e, p) for e in expected)]
    return Score(len(found), len(expected), len(correct), len(proposed), len(found))
