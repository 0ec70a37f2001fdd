"""One allocation run on plain data (no ORM): tiers, the lottery, the matching, redistribution and
the explanation of every placement. ``services.do_create_run`` feeds it from the database.

Priority of an applicant at a school (lower is better), used by every school alike:

1. **tier** — 1 when the applicant lives in a village of one of the school's catchment zones
   (就近入学; in a multi-school zone every resident is tier 1 at every school of the zone and the
   lottery decides, 多校划片·随机派位); otherwise 2, 3, … by the first priority category the applicant
   has, in the order of the policy ``education.allocation.tier_order`` (policy care, a sibling at the
   school, a parent teaching at the school); otherwise the last tier;
2. **lottery** — one number per applicant drawn from the run's recorded seed (single tie-breaking).

The key of an applicant at a school is ``tier * n + lottery`` (``n`` applicants), so keys are
unique and ``key // n``, ``key % n`` give the tier and lottery back.

Modes (the surplus = applicants none of whose preferences could admit them):

- ``standard``: deferred acceptance over the preferences only; the surplus stays unplaced;
- ``whole_grade`` (年级整体分流): the surplus whose first preference is a school named in
  ``diversions`` goes, in a second round, to that school's receiving schools (in their order)
  with seats left;
- ``open`` (开放式分流): the whole surplus goes, in a second round, to the schools with seats
  left, nearest first (the most area levels shared with the home village, then the school's id).

The second round is a deferred acceptance of the surplus alone over the seats left, so the first
round's placements never move; the first round is stable with respect to the preferences.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from jiceng.education.allocation.choices import Category, PlacementVia, RunMode
from jiceng.education.allocation.matching import UNPLACED, Matching, deferred_acceptance, lottery_numbers

RESIDENT_TIER = 1


@dataclass(frozen=True)
class ApplicantInput:
    home_area: int  # Area id (village)
    home_path: str
    preferences: Sequence[int]  # school ids, best first
    is_policy_care: bool = False
    sibling_schools: frozenset[int] = frozenset()
    teacher_parent_schools: frozenset[int] = frozenset()


@dataclass(frozen=True)
class SchoolInput:
    capacity: int
    path: str  # the school's area path (for "nearest")


@dataclass
class Outcome:
    school: int | None
    choice: int | None  # 1-based position in the applicant's preferences (None: placed by redistribution)
    tier: int | None  # at the school placed
    lottery: int
    via: str
    passed_over: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class RunResult:
    outcomes: list[Outcome]
    schools: dict[int, dict[str, Any]]  # per school: capacity, admitted, cutoff tier/lottery (first round)
    proposals: int


def other_tier(tier_order: Sequence[str]) -> int:
    """The tier of an applicant with no residence and no category at a school."""
    return RESIDENT_TIER + 1 + len(tier_order)


def tier_at(
    applicant: ApplicantInput,
    school: int,
    resident_schools: Mapping[int, frozenset[int]],
    tier_order: Sequence[str],
) -> int:
    """The applicant's tier at ``school`` (see the module docstring)."""
    if school in resident_schools.get(applicant.home_area, ()):
        return RESIDENT_TIER
    for position, category in enumerate(tier_order):
        if (
            (category == Category.POLICY_CARE and applicant.is_policy_care)
            or (category == Category.SIBLING and school in applicant.sibling_schools)
            or (category == Category.TEACHER_CHILD and school in applicant.teacher_parent_schools)
        ):
            return RESIDENT_TIER + 1 + position
    return other_tier(tier_order)


def shared_levels(a: str, b: str) -> int:
    """How many leading area levels two materialised paths share."""
    count = 0
    for x, y in zip([p for p in a.split("/") if p], [p for p in b.split("/") if p], strict=False):
        if x != y:
            break
        count += 1
    return count


def compute_run(
    applicants: Sequence[ApplicantInput],
    schools: Mapping[int, SchoolInput],
    *,
    resident_schools: Mapping[int, frozenset[int]],
    tier_order: Sequence[str],
    seed: int,
    mode: str = RunMode.STANDARD,
    diversions: Mapping[int, Sequence[int]] | None = None,
) -> RunResult:
    """Allocate ``applicants`` over ``schools`` (id → capacity and path); see the module docstring.

    A preference naming a school not in ``schools`` counts as a school with no seats."""
    n = len(applicants)
    ids = list(schools)
    for a in applicants:
        ids.extend(s for s in a.preferences if s not in schools)
    ids = list(dict.fromkeys(ids))
    index = {school_id: i for i, school_id in enumerate(ids)}
    capacity = [schools[s].capacity if s in schools else 0 for s in ids]
    lottery = lottery_numbers(n, seed)
    width = max(n, 1)

    def key(a: int, school_id: int) -> int:
        return tier_at(applicants[a], school_id, resident_schools, tier_order) * width + lottery[a]

    preferences = [[index[s] for s in a.preferences] for a in applicants]
    keys = [[key(a, s) for s in applicants[a].preferences] for a in range(n)]
    first = deferred_acceptance(preferences, keys, capacity)
    outcomes: list[Outcome] = []
    for a in range(n):
        passed_until = first.choice[a] if first.school[a] != UNPLACED else len(preferences[a])
        passed = [
            _passed(ids[s], keys[a][k], first, s, capacity, width, 1)
            for k, s in enumerate(preferences[a][:passed_until])
        ]
        if first.school[a] == UNPLACED:
            outcomes.append(Outcome(None, None, None, lottery[a], PlacementVia.UNPLACED, passed))
        else:
            outcomes.append(
                Outcome(
                    ids[first.school[a]],
                    first.choice[a] + 1,
                    keys[a][first.choice[a]] // width,
                    lottery[a],
                    PlacementVia.PREFERENCE,
                    passed,
                )
            )
    figures = {
        ids[s]: {
            "capacity": capacity[s],
            "admitted": first.admitted[s],
            "cutoff_tier": first.cutoff[s] // width if first.cutoff[s] is not None else None,
            "cutoff_lottery": first.cutoff[s] % width if first.cutoff[s] is not None else None,
        }
        for s in range(len(ids))
        if ids[s] in schools
    }
    proposals = first.proposals
    if mode != RunMode.STANDARD:
        proposals += _second_round(
            applicants, outcomes, schools, ids, index, capacity, first, lottery, width, key, mode, diversions or {}
        )
    for school_id, row in figures.items():
        row["redistributed"] = sum(1 for o in outcomes if o.school == school_id and o.via != PlacementVia.PREFERENCE)
    return RunResult(outcomes=outcomes, schools=figures, proposals=proposals)


def _passed(
    school_id: int, key: int, matching: Matching, s: int, capacity: Sequence[int], width: int, round_: int
) -> dict[str, Any]:
    """Why a preferred school did not admit the applicant: full, with the cut-off (the tier and
    lottery of its last admitted applicant), or no seats at all."""
    cutoff = matching.cutoff[s]
    row: dict[str, Any] = {"school": school_id, "tier": key // width, "round": round_}
    if capacity[s] == 0 or cutoff is None:
        row["reason"] = "no_seats"
    else:
        row.update(reason="full", cutoff_tier=cutoff // width, cutoff_lottery=cutoff % width)
    return row


def _second_round(
    applicants: Sequence[ApplicantInput],
    outcomes: list[Outcome],
    schools: Mapping[int, SchoolInput],
    ids: list[int],
    index: dict[int, int],
    capacity: list[int],
    first: Matching,
    lottery: list[int],
    width: int,
    key: Any,
    mode: str,
    diversions: Mapping[int, Sequence[int]],
) -> int:
    """Redistribute the surplus over the seats left (``outcomes`` updated in place); the proposals made."""
    room = [capacity[s] - first.admitted[s] for s in range(len(ids))]
    surplus = [a for a, o in enumerate(outcomes) if o.school is None]
    lists: list[list[int]] = []
    for a in surplus:
        named = set(applicants[a].preferences)
        if mode == RunMode.WHOLE_GRADE:
            origin = applicants[a].preferences[0] if applicants[a].preferences else None
            receivers = [s for s in diversions.get(origin, ()) if s in index] if origin is not None else []
        else:
            home = applicants[a].home_path
            receivers = sorted(
                (s for s in schools if room[index[s]] > 0),
                key=lambda s, home=home: (-shared_levels(home, schools[s].path), s),
            )
        lists.append([s for s in receivers if s not in named and room[index[s]] > 0])
    preferences = [[index[s] for s in row] for row in lists]
    keys = [[key(a, s) for s in row] for a, row in zip(surplus, lists, strict=True)]
    second = deferred_acceptance(preferences, keys, room)
    via = PlacementVia.DIVERSION if mode == RunMode.WHOLE_GRADE else PlacementVia.OPEN
    for j, a in enumerate(surplus):
        s = second.school[j]
        if s == UNPLACED:
            continue
        outcome = outcomes[a]
        outcome.passed_over += [
            _passed(ids[t], keys[j][k], second, t, room, width, 2)
            for k, t in enumerate(preferences[j][: second.choice[j]])
        ]
        outcome.school, outcome.tier, outcome.via = ids[s], keys[j][second.choice[j]] // width, via
    return second.proposals
