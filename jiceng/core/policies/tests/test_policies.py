"""Policies: typed values, effective dates, most-specific-area resolution, overlap, scope, API, seeds."""

from __future__ import annotations

import datetime as dt
import decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from jiceng.core.errors import OutOfScope
from jiceng.core.models import AuditEntry
from jiceng.core.policies.models import Policy
from jiceng.core.policies.services import (
    PolicyMissing,
    do_load_policies,
    do_supersede_policy,
    do_update_policy,
    get_policy,
    read_seed_file,
)
from jiceng.core.policies.tests.factories import make_policy

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def tree(cast):
    county, township, village = cast.area("莘县"), cast.area("燕店镇"), cast.area("东村")
    make_policy(
        None, key="education.class_size_cap", value="56", effective_from=D(2016, 1, 1), source_status="national"
    )
    make_policy(county, key="education.class_size_cap", value="55", effective_from=D(2020, 9, 10))
    make_policy(
        township, key="education.class_size_cap", value="50", effective_from=D(2024, 1, 1), effective_to=D(2025, 1, 1)
    )
    return county, township, village


class TestResolution:
    def test_most_specific_area_wins(self, tree):
        county, township, village = tree
        assert get_policy("education.class_size_cap", area_path=village.path, on=D(2024, 6, 1)).value == 50
        assert (
            get_policy("education.class_size_cap", area_path=township.path, on=D(2024, 6, 1)).area_code == township.code
        )
        assert get_policy("education.class_size_cap", area_path=county.path, on=D(2024, 6, 1)).value == 55
        assert get_policy("education.class_size_cap", on=D(2024, 6, 1)).value == 56

    def test_sibling_township_gets_the_county_value(self, tree, cast):
        assert get_policy("education.class_size_cap", area_path=cast.area("南村").path, on=D(2024, 6, 1)).value == 55

    def test_effective_dates_are_half_open(self, tree):
        _county, township, _village = tree
        lookup = lambda on: get_policy("education.class_size_cap", area_path=township.path, on=on).value  # noqa: E731
        assert lookup(D(2023, 12, 31)) == 55  # before the township row starts
        assert lookup(D(2024, 1, 1)) == 50  # first day
        assert lookup(D(2024, 12, 31)) == 50  # last day
        assert lookup(D(2025, 1, 1)) == 55  # effective_to is the first day it no longer applies
        assert lookup(D(2020, 9, 9)) == 56  # the county row starts on 2020-09-10
        assert lookup(D(2020, 9, 10)) == 55

    def test_missing_names_the_key(self, tree):
        with pytest.raises(PolicyMissing) as info:
            get_policy("education.class_size_cap", on=D(2015, 12, 31))
        assert "education.class_size_cap" in info.value.message and "2015-12-31" in info.value.message
        with pytest.raises(PolicyMissing):
            get_policy("no.such_rule")

    def test_cache_follows_writes(self, tree):
        county, _township, _village = tree
        row = Policy.objects.get(key="education.class_size_cap", area_code=county.code)
        assert get_policy("education.class_size_cap", area_path=county.path, on=D(2024, 6, 1)).value == 55
        do_update_policy(row, data={"value": "54"}, acting_user=None)
        assert get_policy("education.class_size_cap", area_path=county.path, on=D(2024, 6, 1)).value == 54


class TestValues:
    def test_typed_values_and_cite(self, cast):
        make_policy(
            None,
            key="party.dues.band1_rate",
            value_type="percentage",
            value="0.50",
            unit="%",
            name="党费第一档比例",
            source_document="关于中国共产党党费收缴、使用和管理的规定",
            source_article="第二条",
            source_status="national",
        )
        value = get_policy("party.dues.band1_rate", on=D(2024, 1, 1))
        assert value.value == decimal.Decimal("0.5")
        assert value.cite() == "《关于中国共产党党费收缴、使用和管理的规定》第二条"
        assert value.explain() == "党费第一档比例 0.5%（《关于中国共产党党费收缴、使用和管理的规定》第二条，national）"

    @pytest.mark.parametrize(
        ("value_type", "raw", "ok"),
        [
            ("integer", "55", True),
            ("integer", "5.5", False),
            ("duration_days", "-1", False),
            ("boolean", "yes", True),
            ("boolean", "maybe", False),
            ("decimal", "abc", False),
            ("enum", "b", False),
            ("enum", "a", True),
        ],
    )
    def test_value_checked_against_type(self, cast, value_type, raw, ok):
        data = {"value_type": value_type, "value": raw, "allowed_values": ["a"] if value_type == "enum" else []}
        if ok:
            assert make_policy(None, **data).pk
        else:
            with pytest.raises(ValidationError) as info:
                make_policy(None, **data)
            assert "value" in info.value.error_dict
            assert not Policy.objects.filter(value_type=value_type, value=raw).exists()


class TestOverlapAndHistory:
    def test_overlap_refused(self, tree):
        county, _t, _v = tree
        with pytest.raises(ValidationError) as info:
            make_policy(county, key="education.class_size_cap", value="54", effective_from=D(2023, 1, 1))
        assert info.value.error_dict["__all__"][0].code == "policy_overlap"
        assert "education.class_size_cap" in info.value.messages[0] and "2020-09-10" in info.value.messages[0]
        assert Policy.objects.filter(key="education.class_size_cap", area_code=county.code).count() == 1

    def test_adjacent_periods_allowed_and_supersede_keeps_history(self, tree, cast):
        county, _t, _v = tree
        row = Policy.objects.get(key="education.class_size_cap", area_code=county.code)
        successor = do_supersede_policy(
            row, starting=D(2026, 9, 1), data={"value": "50"}, acting_user=cast.county_admin
        )
        row.refresh_from_db()
        assert row.effective_to == D(2026, 9, 1) and successor.effective_from == D(2026, 9, 1)
        assert get_policy("education.class_size_cap", area_path=county.path, on=D(2026, 8, 31)).value == 55
        assert get_policy("education.class_size_cap", area_path=county.path, on=D(2026, 9, 1)).value == 50
        entries = AuditEntry.objects.filter(object_id__in=[str(row.pk), str(successor.pk)], actor=cast.county_admin)
        assert sorted(entries.values_list("action", flat=True)) == ["create", "update"]


class TestScope:
    def test_view_applies_downwards_change_only_in_subtree(self, tree, cast):
        county, township, _village = tree
        other = make_policy(
            cast.area("古云镇"), key="education.class_size_cap", value="48", effective_from=D(2024, 1, 1)
        )
        admin_township = cast.outsider  # directory_editor only: no policy permission at all
        assert not Policy.objects.restrict(admin_township, "view").exists()
        viewer = cast.county_admin
        visible = set(Policy.objects.restrict(viewer, "view").values_list("area_code", flat=True))
        assert visible == {"", county.code, township.code, other.area_code}
        changeable = set(Policy.objects.restrict(viewer, "change").values_list("area_code", flat=True))
        assert changeable == {county.code, township.code, other.area_code}  # national rows are not editable here

    def test_township_admin_sees_ancestors_but_not_siblings(self, cast):
        from jiceng.accounts.services import do_create_user

        user = do_create_user(
            username="t_admin",
            password="x-2026-pass",
            area_code="371522109000",
            role_keys=["admin"],
            check_password=False,
        )
        county, sibling = cast.area("莘县"), cast.area("古云镇")
        make_policy(None, key="a.b", value="1")
        make_policy(county, key="a.b", value="2")
        make_policy(sibling, key="a.b", value="3")
        mine = make_policy(cast.area("东村"), key="a.b", value="4")
        assert sorted(Policy.objects.restrict(user, "view").values_list("value", flat=True)) == ["1", "2", "4"]
        assert list(Policy.objects.restrict(user, "change")) == [mine]
        with pytest.raises(OutOfScope):
            from jiceng.core.policies.services import do_create_policy

            do_create_policy(data={**_data(county), "key": "a.c"}, acting_user=user)


def _data(area):
    return {
        "key": "a.b",
        "name": "n",
        "value_type": "integer",
        "value": "1",
        "unit": "",
        "area_code": area.code,
        "area_path": area.path,
        "effective_from": D(2020, 1, 1),
        "source_document": "d",
        "source_status": "seed",
    }


class TestApi:
    def test_list_filter_and_resolution(self, tree, api, cast):
        client = api(cast.county_admin)
        rows = client.get("/api/v1/policies/", {"key": "education.class_size_cap"}).json()["results"]
        assert sorted(r["value"] for r in rows) == [50, 55, 56]
        assert {"key", "value", "unit", "area", "effective_from", "effective_to", "source", "source_status"} <= set(
            rows[0]
        )
        resolved = client.get(
            "/api/v1/policies/", {"key": "education.class_size_cap", "area": "371522109201", "on": "2024-06-01"}
        ).json()["results"]
        assert [(r["value"], r["area"]) for r in resolved] == [(50, "371522109000")]
        resolved = client.get("/api/v1/policies/", {"area": "371522109201", "on": "2025-01-01"}).json()["results"]
        assert [(r["value"], r["area"]) for r in resolved] == [(55, "371522000000")]
        national = client.get("/api/v1/policies/", {"on": "2019-01-01"}).json()["results"]
        assert [(r["value"], r["area"]) for r in national] == [(56, "")]

    def test_bad_input(self, tree, api, cast):
        client = api(cast.county_admin)
        response = client.get("/api/v1/policies/", {"area": "999999999999"})
        assert response.status_code == 400 and response.json()["code"] == "unknown_area"
        response = client.get("/api/v1/policies/", {"area": "371522000000", "on": "2024-13-01"})
        assert response.status_code == 400 and response.json()["code"] == "invalid_date"

    def test_outsider_cannot_read_a_sibling_row(self, tree, api, cast):
        township_row = Policy.objects.get(area_code="371522109000")
        from jiceng.accounts.services import do_create_user

        user = do_create_user(
            username="g_admin",
            password="x-2026-pass",
            area_code="371522106000",
            role_keys=["admin"],
            check_password=False,
        )
        assert api(user).get(f"/api/v1/policies/{township_row.pk}/").status_code == 404
        assert api(cast.county_admin).get(f"/api/v1/policies/{township_row.pk}/").status_code == 200


class TestSeeds:
    def test_seed_file_loads_idempotently(self, db):
        entries = read_seed_file()
        first = do_load_policies(entries)
        assert first["created"] == len(entries) and first["updated"] == 0
        second = do_load_policies(entries)
        assert second == {"created": 0, "updated": 0, "unchanged": len(entries), "skipped": 0}

    def test_seed_numbers(self, db):
        call_command("loadpolicies", verbosity=0)
        on = D(2026, 6, 1)
        demo = "370000000000/371500000000/371522000000/"
        assert get_policy("party.development.min_age", on=on).value == 18
        assert (
            get_policy("party.development.probation_months", on=on).cite() == "《中国共产党发展党员工作细则》第三十二条"
        )
        assert get_policy("party.development.training_min_hours", on=on).value == 24
        assert get_policy("party.org.committee_members_above", on=on).value == 100
        assert get_policy("safety.major_hazard.grade2_min_r", on=on).value == 50
        assert get_policy("education.class_size.large_min", on=on).value == 56
        cap = get_policy("education.class_size_cap", area_path=demo + "371522109000/", on=on)
        assert (cap.value, cap.source_status, cap.area_code) == (55, "seed", "371522000000")
        assert get_policy("finance.key_monitoring_lag_pp", area_path=demo, on=on).value == 40
        assert get_policy("rural.trusteeship.guaranteed_yuan_per_mu", area_path=demo, on=on).value == 900
        assert get_policy("education.teacher_exchange_min_pct", area_path=demo, on=on).display_value() == "10%"
        with pytest.raises(PolicyMissing):  # seed-article numbers are the demo county's, not national
            get_policy("finance.key_monitoring_lag_pp", on=on)
        every = Policy.objects.all()
        assert all(p.source_document and p.source_status for p in every)


def test_database_refuses_overlap_on_postgresql(tree):
    from django.db import IntegrityError, connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("exclusion constraints exist on PostgreSQL only (clean() guards SQLite)")
    county, _t, _v = tree
    row = Policy.objects.get(key="education.class_size_cap", area_code=county.code)
    fields = {f.name: getattr(row, f.name) for f in Policy._meta.concrete_fields if f.name not in ("id",)}
    with pytest.raises(IntegrityError), transaction.atomic():
        Policy.objects.create(**{**fields, "effective_from": D(2023, 1, 1)})  # raw insert, no clean()


class TestPages:
    def test_list_detail_edit(self, tree, client, cast):
        county, _t, _v = tree
        row = Policy.objects.get(key="education.class_size_cap", area_code=county.code)
        client.force_login(cast.county_admin)
        listing = client.get("/policies/policies/", {"key": "education."})
        assert listing.status_code == 200 and "education.class_size_cap" in listing.content.decode()
        assert client.get(f"/policies/policies/{row.pk}/").status_code == 200
        form = client.get(f"/policies/policies/{row.pk}/edit/")
        assert form.status_code == 200
        data = {f: getattr(row, f) or "" for f in form.context["form"].fields}
        data.update(value="54", allowed_values="[]", effective_to="")
        response = client.post(f"/policies/policies/{row.pk}/edit/", data)
        assert response.status_code == 302, response.content.decode()[:2000]
        assert get_policy("education.class_size_cap", area_path=county.path, on=D(2024, 6, 1)).value == 54
        national = Policy.objects.get(key="education.class_size_cap", area_code="")
        assert client.get(f"/policies/policies/{national.pk}/").status_code == 200  # visible
        assert client.get(f"/policies/policies/{national.pk}/edit/").status_code == 404  # not editable here
