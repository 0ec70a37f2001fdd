"""Scoring numbers: weighted totals, roll-ups, quotas with tie-breaks, the append-only ledger."""

from decimal import Decimal

import pytest

from jiceng.core.scoring.models import Indicator, IndicatorSet, PointsEntry
from jiceng.core.scoring.services import (
    Candidate,
    compute_balance,
    compute_total,
    do_record_points,
    do_record_score,
    do_reverse_points,
    grade_with_quota,
    quota_count,
    ranking,
    roll_up,
)

BANDS = [
    {"grade": "excellent", "label": "优秀", "min": 90},
    {"grade": "competent", "label": "称职", "min": 60},
    {"grade": "incompetent", "label": "不称职", "min": 0},
]


@pytest.fixture
def sheet(db):
    indicator_set = IndicatorSet.objects.create(
        key="cadre-test", name="测试考核", source_weights={"self": "0.2", "organisation": "0.8"}
    )
    a = Indicator.objects.create(
        indicator_set=indicator_set, code="A", name="政治素质", weight=Decimal(3), max_score=Decimal(100)
    )
    b = Indicator.objects.create(
        indicator_set=indicator_set, code="B", name="工作实绩", weight=Decimal(1), max_score=Decimal(50)
    )
    return indicator_set, a, b


@pytest.mark.django_db
def test_weighted_total_per_source_and_combined(cast, sheet):
    indicator_set, a, b = sheet
    person = cast.area("东村")  # any model instance with an area path serves as a subject
    do_record_score(a, person, period="2026", source="self", value=Decimal(100))
    do_record_score(b, person, period="2026", source="self", value=Decimal(50))
    do_record_score(a, person, period="2026", source="organisation", value=Decimal(80))
    do_record_score(b, person, period="2026", source="organisation", value=Decimal(20))
    total = compute_total(indicator_set, person, "2026")
    # organisation: (3·80/100 + 1·20/50) / 4 × 100 = (2.4 + 0.4) / 4 × 100 = 70
    assert total.by_source == {"self": Decimal("100.00"), "organisation": Decimal("70.00")}
    assert total.combined == Decimal("76.00")  # 0.2·100 + 0.8·70


@pytest.mark.django_db
def test_a_missing_source_means_no_combined_score(cast, sheet):
    indicator_set, a, _ = sheet
    do_record_score(a, cast.area("东村"), period="2026", source="self", value=Decimal(90))
    total = compute_total(indicator_set, cast.area("东村"), "2026")
    assert total.combined is None and total.missing_sources == ["organisation"]


@pytest.mark.django_db
def test_score_above_the_maximum_is_refused(cast, sheet):
    from jiceng.core.errors import InvalidInput

    _, _, b = sheet
    with pytest.raises(InvalidInput, match="between 0 and 50"):
        do_record_score(b, cast.area("东村"), period="2026", source="self", value=Decimal(51))


def test_roll_up_weights_months_and_quarters():
    assert roll_up(
        {"month": [Decimal(90), Decimal(80)], "quarter": [Decimal(70)]},
        {"month": Decimal("0.3"), "quarter": Decimal("0.7")},
    ) == Decimal("74.50")


def test_twenty_percent_of_eleven_is_two():
    assert quota_count(Decimal("0.2"), 11) == 2
    candidates = [Candidate(key=i, score=Decimal(95 - i)) for i in range(11)]  # all in the top band? 95..85
    result = grade_with_quota(candidates, bands=BANDS, top_grade="excellent", quota=Decimal("0.2"), tie_rule=[])
    top = [k for k, g in result.grades.items() if g == "excellent"]
    assert top == [0, 1]
    assert result.grades[2] == "competent" and 2 in result.demoted


def test_tie_at_the_boundary_is_broken_by_the_stated_rule():
    candidates = [
        Candidate("a", Decimal(96)),
        Candidate("b", Decimal(92), {"organisation": Decimal(90)}),
        Candidate("c", Decimal(92), {"organisation": Decimal(93)}),
    ] + [Candidate(f"x{i}", Decimal(70)) for i in range(7)]
    result = grade_with_quota(
        candidates, bands=BANDS, top_grade="excellent", quota=Decimal("0.2"), tie_rule=["organisation"]
    )
    assert result.quota == 2
    assert result.grades["a"] == "excellent" and result.grades["c"] == "excellent" and result.grades["b"] == "competent"
    assert result.unresolved == []


def test_unbreakable_tie_is_flagged_not_decided():
    candidates = [
        Candidate("a", Decimal(96)),
        Candidate("b", Decimal(92), {"organisation": 90}),
        Candidate("c", Decimal(92), {"organisation": 90}),
    ] + [Candidate(f"x{i}", Decimal(70)) for i in range(7)]
    result = grade_with_quota(
        candidates, bands=BANDS, top_grade="excellent", quota=Decimal("0.2"), tie_rule=["organisation"]
    )
    assert sorted(result.unresolved) == ["b", "c"]
    assert result.grades["a"] == "excellent"
    assert result.grades["b"] == result.grades["c"] == "competent"


@pytest.mark.django_db
def test_balance_is_the_ledger_sum_after_an_appeal(cast):
    village, other = cast.area("东村"), cast.area("西村")
    do_record_points(village, rule_key="party.points.volunteer", points=Decimal(5), period="2026-11")
    wrong = do_record_points(village, rule_key="party.points.absence", points=Decimal(-3), period="2026-11")
    do_record_points(other, rule_key="party.points.volunteer", points=Decimal(2), period="2026-11")
    assert compute_balance(village, "2026-11") == Decimal(2)
    reversal = do_reverse_points(wrong, reason="申诉成立：已请假")
    assert reversal.points == Decimal(3)
    assert compute_balance(village, "2026-11") == Decimal(5)
    assert PointsEntry.objects.filter(object_id=str(village.pk)).count() == 3
    from django.contrib.contenttypes.models import ContentType

    ranks = ranking(
        area_path=cast.area("燕店镇").path, period="2026-11", content_type=ContentType.objects.get_for_model(village)
    )
    assert [(r["subject_repr"], r["total"]) for r in ranks] == [("东村", Decimal(5)), ("西村", Decimal(2))]
    from jiceng.core.errors import InvalidInput

    with pytest.raises(InvalidInput):
        do_reverse_points(wrong, reason="again")


@pytest.mark.django_db
def test_ledger_rows_cannot_be_changed(cast):
    entry = do_record_points(cast.area("东村"), rule_key="r", points=Decimal(1), period="2026")
    entry.points = Decimal(100)
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        PointsEntry.objects.filter(pk=entry.pk).update(points=Decimal(100))
