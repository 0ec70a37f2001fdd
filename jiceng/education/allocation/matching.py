"""Student-proposing deferred acceptance (Gale–Shapley) over school capacities: pure and fast.

No ORM here: applicants and schools are indices, preferences are lists of school indices (best
first), and each applicant's priority at each school it names is one integer *key* (lower is
better; the caller builds ``tier * n + lottery`` so keys are unique at every school). Each school
keeps the applicants it holds in a max-heap of keys, so a proposal costs O(log capacity).

The result is the student-optimal stable matching: no applicant prefers a school that has a free
seat or holds someone with a worse key (no blocking pair), and no capacity is exceeded. With a
single lottery across schools (single tie-breaking), the same seed gives the same result.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from heapq import heappush, heapreplace

UNPLACED = -1


@dataclass(frozen=True)
class Matching:
    """``school[a]`` (index or ``UNPLACED``) and ``choice[a]`` (0-based position in a's list, -1 if
    unplaced); ``cutoff[s]``: the key of the last (worst-ranked) admitted applicant of a full school,
    ``None`` where seats are left; ``admitted[s]``: how many it admitted; ``proposals``: the work done."""

    school: list[int]
    choice: list[int]
    cutoff: list[int | None]
    admitted: list[int]
    proposals: int


def lottery_numbers(count: int, seed: int) -> list[int]:
    """A random permutation of ``0..count-1`` drawn from ``seed``: applicant ``i`` draws number
    ``lottery[i]`` (0 is the best draw). The same seed and count give the same draw."""
    order = list(range(count))
    random.Random(seed).shuffle(order)  # noqa: S311  (a reproducible public lottery, not a secret)
    lottery = [0] * count
    for number, applicant in enumerate(order):
        lottery[applicant] = number
    return lottery


def deferred_acceptance(
    preferences: Sequence[Sequence[int]],
    keys: Sequence[Sequence[int]],
    capacities: Sequence[int],
) -> Matching:
    """Run student-proposing deferred acceptance.

    ``preferences[a]``: school indices, best first (no repeats); ``keys[a][k]``: a's priority key at
    ``preferences[a][k]`` (lower is better; unique per school); ``capacities[s]``: seats (≥ 0).
    """
    n = len(preferences)
    m = len(capacities)
    held: list[list[tuple[int, int]]] = [[] for _ in range(m)]  # (-key, applicant): a max-heap of keys
    room = list(capacities)
    next_choice = [0] * n
    school = [UNPLACED] * n
    free = list(range(n - 1, -1, -1))  # a stack: applicant 0 proposes first (the order does not change the result)
    proposals = 0
    while free:
        a = free.pop()
        prefs = preferences[a]
        ranks = keys[a]
        k = next_choice[a]
        last = len(prefs)
        while k < last:
            s = prefs[k]
            key = ranks[k]
            k += 1
            proposals += 1
            heap = held[s]
            if room[s] > 0:
                room[s] -= 1
                heappush(heap, (-key, a))
                school[a] = s
                break
            if heap and -heap[0][0] > key:  # s prefers a to the worst applicant it holds
                rejected = heapreplace(heap, (-key, a))[1]
                school[a] = s
                school[rejected] = UNPLACED
                free.append(rejected)
                break
        next_choice[a] = k
    choice = [next_choice[a] - 1 if school[a] != UNPLACED else -1 for a in range(n)]
    cutoff: list[int | None] = [(-held[s][0][0] if held[s] and room[s] == 0 else None) for s in range(m)]
    return Matching(
        school=school,
        choice=choice,
        cutoff=cutoff,
        admitted=[len(h) for h in held],
        proposals=proposals,
    )


def blocking_pairs(
    preferences: Sequence[Sequence[int]],
    keys: Sequence[Sequence[int]],
    capacities: Sequence[int],
    school: Sequence[int],
) -> list[tuple[int, int]]:
    """Every ``(applicant, school)`` pair that blocks ``school`` (an assignment): the applicant
    prefers the school to its own placement and the school has a free seat or admitted someone it
    ranks lower. An empty list means the assignment is stable. Also raises ``ValueError`` when a
    capacity is exceeded or an applicant sits at a school it did not name."""
    m = len(capacities)
    count = [0] * m
    worst = [-1] * m
    position: list[dict[int, int]] = [{s: k for k, s in enumerate(p)} for p in preferences]
    for a, s in enumerate(school):
        if s == UNPLACED:
            continue
        if s not in position[a]:
            raise ValueError(f"applicant {a} placed at school {s}, which it did not name")
        count[s] += 1
        worst[s] = max(worst[s], keys[a][position[a][s]])
    for s in range(m):
        if count[s] > capacities[s]:
            raise ValueError(f"school {s} admitted {count[s]} over its capacity {capacities[s]}")
    found = []
    for a, prefs in enumerate(preferences):
        own = position[a].get(school[a], len(prefs)) if school[a] != UNPLACED else len(prefs)
        for k in range(own):
            s = prefs[k]
            if count[s] < capacities[s] or keys[a][k] < worst[s]:
                found.append((a, s))
    return found
