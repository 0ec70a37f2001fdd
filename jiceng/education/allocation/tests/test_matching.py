"""The matcher on its own (no database): stability, capacities, determinism, cut-offs, and
agreement with the reference implementation of the ``matching`` package."""

import random

import pytest

from jiceng.education.allocation.matching import UNPLACED, blocking_pairs, deferred_acceptance, lottery_numbers


def random_instance(seed, applicants=60, schools=8, preferences=4, tiers=3):
    rng = random.Random(seed)
    lottery = lottery_numbers(applicants, seed)
    prefs = [rng.sample(range(schools), rng.randint(1, preferences)) for _ in range(applicants)]
    tier = {(a, s): rng.randint(1, tiers) for a in range(applicants) for s in range(schools)}
    keys = [[tier[a, s] * applicants + lottery[a] for s in prefs[a]] for a in range(applicants)]
    capacities = [rng.randint(0, applicants // schools + 2) for _ in range(schools)]
    return prefs, keys, capacities


@pytest.mark.parametrize("seed", range(40))
def test_no_blocking_pair_and_capacities_respected(seed):
    prefs, keys, capacities = random_instance(seed)
    result = deferred_acceptance(prefs, keys, capacities)
    assert blocking_pairs(prefs, keys, capacities, result.school) == []
    for s, capacity in enumerate(capacities):
        assert sum(1 for x in result.school if x == s) == result.admitted[s] <= capacity
    for a, s in enumerate(result.school):
        if s != UNPLACED:
            assert prefs[a][result.choice[a]] == s


def test_blocking_pairs_finds_an_unstable_assignment():
    prefs = [[0], [0]]
    keys = [[1], [0]]  # applicant 1 has priority at school 0
    assert blocking_pairs(prefs, keys, [1], [0, UNPLACED]) == [(1, 0)]
    assert blocking_pairs(prefs, keys, [1], [UNPLACED, 0]) == []
    assert blocking_pairs(prefs, keys, [2], [UNPLACED, 0]) == [(0, 0)]  # a free seat
    with pytest.raises(ValueError, match="capacity"):
        blocking_pairs(prefs, keys, [1], [0, 0])


def test_same_seed_same_draw_and_result():
    assert lottery_numbers(500, 7) == lottery_numbers(500, 7)
    assert lottery_numbers(500, 7) != lottery_numbers(500, 8)
    assert sorted(lottery_numbers(500, 7)) == list(range(500))
    a = deferred_acceptance(*random_instance(3))
    b = deferred_acceptance(*random_instance(3))
    assert a == b


@pytest.mark.parametrize("seed", range(10))
def test_cutoff_is_the_last_admitted(seed):
    prefs, keys, capacities = random_instance(seed)
    result = deferred_acceptance(prefs, keys, capacities)
    for s, capacity in enumerate(capacities):
        admitted = [keys[a][result.choice[a]] for a in range(len(prefs)) if result.school[a] == s]
        if capacity and len(admitted) == capacity:
            assert result.cutoff[s] == max(admitted)
        else:
            assert result.cutoff[s] is None


@pytest.mark.parametrize("seed", range(15))
def test_agrees_with_the_matching_package(seed):
    """Same student-optimal stable matching as ``matching.games.HospitalResident``."""
    from matching.games import HospitalResident

    prefs, keys, capacities = random_instance(seed, applicants=40, schools=6)
    ours = deferred_acceptance(prefs, keys, capacities)
    resident_prefs = {f"a{a}": [f"s{s}" for s in p] for a, p in enumerate(prefs)}
    ranking: dict[str, list[tuple[int, str]]] = {f"s{s}": [] for s in range(len(capacities))}
    for a, p in enumerate(prefs):
        for k, s in enumerate(p):
            ranking[f"s{s}"].append((keys[a][k], f"a{a}"))
    # (the package cannot take a school with no seats: leave those out, as naming them changes nothing)
    hospital_prefs = {
        h: [name for _, name in sorted(rows)] for h, rows in ranking.items() if rows and capacities[int(h[1:])]
    }
    named = set(hospital_prefs)
    resident_prefs = {r: [h for h in p if h in named] for r, p in resident_prefs.items()}
    resident_prefs = {r: p for r, p in resident_prefs.items() if p}  # nor an applicant naming none of the rest
    game = HospitalResident.create_from_dictionaries(
        resident_prefs, hospital_prefs, {h: capacities[int(h[1:])] for h in hospital_prefs}
    )
    theirs = game.solve(optimal="resident")
    assert game.check_stability()
    assignment = {r.name: h.name for h, rs in theirs.items() for r in rs}
    expected = {f"a{a}": f"s{s}" for a, s in enumerate(ours.school) if s != UNPLACED}
    assert assignment == expected
