"""The run computation on plain data: tiers, categories, modes and explanations."""

from jiceng.education.allocation.engine import ApplicantInput, SchoolInput, compute_run, other_tier, tier_at

ORDER = ["policy_care", "sibling", "teacher_child"]


def person(home, prefs, **kw):
    return ApplicantInput(home_area=home, home_path=f"/c/t{home}/v{home}/", preferences=prefs, **kw)


def test_tiers():
    residents = {1: frozenset({10})}
    assert tier_at(person(1, [10]), 10, residents, ORDER) == 1
    assert tier_at(person(2, [10]), 10, residents, ORDER) == other_tier(ORDER)
    assert tier_at(person(2, [10], is_policy_care=True), 10, residents, ORDER) == 2
    assert tier_at(person(2, [10], sibling_schools=frozenset({10})), 10, residents, ORDER) == 3
    assert tier_at(person(2, [10], sibling_schools=frozenset({11})), 10, residents, ORDER) == other_tier(ORDER)
    assert tier_at(person(2, [10], teacher_parent_schools=frozenset({10})), 10, residents, ["teacher_child"]) == 2


def test_resident_beats_non_resident_whatever_the_lottery():
    schools = {10: SchoolInput(capacity=1, path="/c/t1/")}
    applicants = [person(2, [10]) for _ in range(20)] + [person(1, [10])]
    for seed in range(10):
        result = compute_run(applicants, schools, resident_schools={1: frozenset({10})}, tier_order=ORDER, seed=seed)
        assert result.outcomes[-1].school == 10 and result.outcomes[-1].tier == 1
        assert all(o.school is None for o in result.outcomes[:-1])


def test_explanation_states_the_cutoff_of_the_last_admitted():
    schools = {10: SchoolInput(capacity=3, path="/c/t1/"), 11: SchoolInput(capacity=50, path="/c/t2/")}
    applicants = [person(1 + i % 2, [10, 11]) for i in range(12)]
    result = compute_run(applicants, schools, resident_schools={1: frozenset({10})}, tier_order=ORDER, seed=4)
    at_10 = [o for o in result.outcomes if o.school == 10]
    last = max(at_10, key=lambda o: (o.tier, o.lottery))
    assert len(at_10) == 3
    figure = result.schools[10]
    assert (figure["cutoff_tier"], figure["cutoff_lottery"]) == (last.tier, last.lottery)
    for o in result.outcomes:
        if o.school == 11:
            assert o.choice == 2
            (passed,) = o.passed_over
            assert passed["reason"] == "full"
            assert (passed["cutoff_tier"], passed["cutoff_lottery"]) == (last.tier, last.lottery)
            assert (passed["tier"], o.lottery) > (last.tier, last.lottery)
    assert result.schools[11]["cutoff_tier"] is None  # seats left


def test_whole_grade_diversion_sends_the_surplus_to_the_receivers():
    schools = {10: SchoolInput(2, "/c/t1/"), 11: SchoolInput(5, "/c/t2/"), 12: SchoolInput(5, "/c/t3/")}
    applicants = [person(1, [10]) for _ in range(6)] + [person(3, [12])]
    standard = compute_run(applicants, schools, resident_schools={}, tier_order=ORDER, seed=1)
    assert sum(o.school is None for o in standard.outcomes) == 4
    diverted = compute_run(
        applicants, schools, resident_schools={}, tier_order=ORDER, seed=1, mode="whole_grade", diversions={10: [11]}
    )
    assert [o.school for o in diverted.outcomes].count(11) == 4
    assert all(o.via == "diversion" for o in diverted.outcomes if o.school == 11)
    # the first round is untouched
    assert [o.school for o in diverted.outcomes if o.via == "preference"] == [
        o.school for o in standard.outcomes if o.school is not None
    ]


def test_open_redistribution_prefers_the_nearest_school_with_seats():
    schools = {
        10: SchoolInput(1, "/c/t1/"),
        11: SchoolInput(5, "/c/t9/"),  # far
        12: SchoolInput(5, "/c/t1/"),  # same township as the applicants
    }
    applicants = [ApplicantInput(home_area=1, home_path="/c/t1/v1/", preferences=[10]) for _ in range(3)]
    result = compute_run(applicants, schools, resident_schools={}, tier_order=ORDER, seed=2, mode="open")
    assert sorted(o.school for o in result.outcomes) == [10, 12, 12]
    assert {o.via for o in result.outcomes if o.school == 12} == {"open"}
