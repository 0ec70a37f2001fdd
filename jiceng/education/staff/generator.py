"""The exchange-plan generator (E02) as a pure function: plain rows in, proposed moves out.

No database, no policies read here: the service (``services.do_generate_plan``) reads the teachers,
their history and the policies and passes numbers in, so this runs on 8,600 teachers in well under a
second and is tested without a database.

How a plan is proposed (deterministic from ``seed``):

1. Every school sits on side A or side B (county plan: urban / rural; group plan: the lead school /
   the member schools).
2. Candidates: for each school and subject, its teachers of that subject except one — the one least
   suited to move stays, so **no school gives away its last teacher of a subject it teaches**.
3. Each candidate gets a tier: 0 (fine), 1 (rotated within the "recently" window), 2 (near
   retirement), 3 (both). Lower tiers go first; within a tier, schools take turns (a school's first
   candidate before anyone's second), then a seeded random order.
4. Moves are **one-for-one swaps within a subject**: a side-A teacher of subject X goes to the school of
   a side-B teacher of X and that teacher comes back the other way. Every school's headcount per
   subject is therefore unchanged (each subject given away is replaced), and both directions are equal.
5. Swaps are added until at least ``required`` teachers move. When swaps run out (one side has too
   few spare teachers of the subjects the other side has), one-way moves are added from the side with
   spare candidates, but only while the other direction keeps ``min_share_pct`` of the moves; a
   one-way move never takes a school's last teacher of a subject either.
6. The result says how many moved, how many were required and why it fell short, if it did.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class TeacherRow:
    id: int
    school_id: int
    subject: str
    is_recent: bool = False  # rotated within the policy window
    is_near_retirement: bool = False
    is_middle_manager: bool = False

    @property
    def tier(self) -> int:
        return (2 if self.is_near_retirement else 0) + (1 if self.is_recent else 0)


@dataclass(frozen=True)
class Move:
    teacher_id: int
    from_school_id: int
    to_school_id: int
    subject: str
    from_side: str  # "A" or "B"
    is_swap: bool


@dataclass
class Proposal:
    moves: list[Move] = field(default_factory=list)
    required: int = 0
    pool: int = 0  # teachers counted for the quota
    shortfall: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def moved(self) -> int:
        return len(self.moves)

    def count(self, side: str) -> int:
        return sum(1 for m in self.moves if m.from_side == side)


def required_count(pct: Decimal | int | float, full_time: int) -> int:
    """ceil(pct % × full-time teachers), exact for decimal percentages."""
    return math.ceil(Decimal(str(pct)) * full_time / 100)


def _candidates(teachers: Sequence[TeacherRow], rng: random.Random) -> dict[str, dict[int, list[TeacherRow]]]:
    """subject → school → movable teachers, best movers first (each school keeps its keeper)."""
    by_school_subject: dict[tuple[int, str], list[TeacherRow]] = defaultdict(list)
    for row in teachers:
        by_school_subject[(row.school_id, row.subject)].append(row)
    found: dict[str, dict[int, list[TeacherRow]]] = defaultdict(dict)
    for school_id, subject in sorted(by_school_subject):
        rows = by_school_subject[(school_id, subject)]
        keyed = sorted(rows, key=lambda r: (r.tier, rng.random()))
        movable = keyed[:-1]  # the last (least suited to move) stays
        if movable:
            found[subject][school_id] = movable
    return found


def _queue(per_school: dict[int, list[TeacherRow]], rng: random.Random) -> list[TeacherRow]:
    """Lower tiers first; within a tier schools take turns; ties in seeded random order."""
    keyed = []
    for rows in per_school.values():
        for rank, row in enumerate(rows):
            keyed.append(((row.tier, rank, rng.random()), row))
    keyed.sort(key=lambda item: item[0])
    return [row for _key, row in keyed]


def propose(
    teachers: Iterable[TeacherRow],
    sides: dict[int, str],
    *,
    required: int,
    min_share_pct: Decimal | int | float = 0,
    seed: int,
) -> Proposal:
    """Propose moves between side ``"A"`` and side ``"B"`` schools (see the module docstring).

    ``teachers`` are the quota's full-time teachers (only those at a school in ``sides`` can move);
    ``required`` is how many must move.
    """
    rng = random.Random(seed)  # noqa: S311  (a reproducible proposal, not a secret)
    rows = sorted((t for t in teachers if t.school_id in sides), key=lambda t: t.id)
    proposal = Proposal(required=required, pool=len(rows))
    candidates = _candidates(rows, rng)
    queues: dict[str, dict[str, list[TeacherRow]]] = {}
    for subject in sorted(candidates):
        per_side: dict[str, dict[int, list[TeacherRow]]] = {"A": {}, "B": {}}
        for school_id, movable in candidates[subject].items():
            per_side[sides[school_id]][school_id] = movable
        queues[subject] = {side: _queue(per_side[side], rng) for side in ("A", "B")}

    # swaps, subject by subject in turn (a round-robin over subjects keeps the mix broad)
    cursor: dict[str, int] = dict.fromkeys(queues, 0)
    subjects = sorted(queues, key=lambda s: (-min(len(queues[s]["A"]), len(queues[s]["B"])), s))
    while proposal.moved < required:
        progressed = False
        for subject in subjects:
            if proposal.moved >= required:
                break
            a_queue, b_queue = queues[subject]["A"], queues[subject]["B"]
            i = cursor[subject]
            if i >= len(a_queue) or i >= len(b_queue):
                continue
            a, b = a_queue[i], b_queue[i]
            cursor[subject] = i + 1
            proposal.moves.append(Move(a.id, a.school_id, b.school_id, subject, "A", True))
            proposal.moves.append(Move(b.id, b.school_id, a.school_id, subject, "B", True))
            progressed = True
        if not progressed:
            break

    if proposal.moved < required:
        _one_way(proposal, queues, cursor, sides, Decimal(str(min_share_pct)), rng)
    proposal.shortfall = max(0, required - proposal.moved)
    if proposal.shortfall:
        proposal.notes.append("not_enough_candidates")
    return proposal


def _one_way(
    proposal: Proposal,
    queues: dict[str, dict[str, list[TeacherRow]]],
    cursor: dict[str, int],
    sides: dict[int, str],
    min_share_pct: Decimal,
    rng: random.Random,
) -> None:
    """Top up with one-way moves from the leftover candidates while both directions keep their share."""
    hosts = {side: sorted(s for s, v in sides.items() if v == side) for side in ("A", "B")}
    leftovers = {
        side: sorted(
            (row for subject in queues for row in queues[subject][side][cursor[subject] :]),
            key=lambda r: (r.tier, rng.random()),
        )
        for side in ("A", "B")
    }
    taken = {"A": 0, "B": 0}

    def can_take(side: str) -> bool:
        other = "B" if side == "A" else "A"
        return taken[side] < len(leftovers[side]) and bool(hosts[other])

    while proposal.moved < proposal.required:
        # the side with fewer moves goes next; the other only while the lagging side keeps its share
        order = sorted(("A", "B"), key=lambda side: (proposal.count(side), side))
        side = next((s for s in order if can_take(s)), None)
        if side is None:
            break
        other = "B" if side == "A" else "A"
        if side != order[0] and proposal.count(other) * 100 < min_share_pct * (proposal.moved + 1):
            break  # the other direction has nobody left and would fall under its share
        row = leftovers[side][taken[side]]
        taken[side] += 1
        target = hosts[other][rng.randrange(len(hosts[other]))]
        proposal.moves.append(Move(row.id, row.school_id, target, row.subject, side, False))


__all__ = ["Move", "Proposal", "TeacherRow", "propose", "required_count"]
