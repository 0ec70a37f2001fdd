"""The demo county: seed names under their codes, synthetic identifiers, idempotency, scale, logins."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.db import transaction
from django.utils import timezone

from jiceng.accounts import demo as accounts_demo
from jiceng.directory import demo as directory_demo
from jiceng.directory.identifiers import check_credit_code, check_id_number
from jiceng.directory.models import Area, AreaLevel, Enterprise, Grid, Person, Unit

pytestmark = pytest.mark.django_db

SMALL = 0.02


class Rollback(Exception):
    pass


def build_parts(scale: float, seed: int):
    """The directory and accounts parts only (what this app owns), as ``build_demo`` runs them."""
    from jiceng.demo import DemoContext

    ctx = DemoContext(scale=scale, rng=random.Random(seed))
    for module in (directory_demo, accounts_demo):
        with transaction.atomic():
            module.build(ctx)
    return ctx


def built_then_rolled_back(scale: float, seed: int, measure):
    """Build in a savepoint, measure, and undo everything (so one test can compare two builds)."""
    result = None
    try:
        with transaction.atomic():
            build_parts(scale, seed)
            result = measure()
            raise Rollback
    except Rollback:
        pass
    assert not Person.objects.exists()
    return result


@pytest.fixture
def demo():
    return build_parts(SMALL, seed=11)


# Names from the seed articles (catalogue §5) and their statistical codes.
SEED_AREAS = [
    ("370000000000", "山东省", None),
    ("371500000000", "聊城市", "370000000000"),
    ("370800000000", "济宁市", "370000000000"),
    ("371522000000", "莘县", "371500000000"),
    ("371502000000", "东昌府区", "371500000000"),
    ("371521000000", "阳谷县", "371500000000"),
    ("371525000000", "冠县", "371500000000"),
    ("371522101000", "张鲁回族镇", "371522000000"),
    ("371522101200", "东街村", "371522101000"),
    ("371522101206", "刘楼村", "371522101000"),
    ("371522101219", "王楼村", "371522101000"),
    ("371502105000", "郑家镇", "371502000000"),
    ("371502006000", "闫寺街道", "371502000000"),
    ("371502008000", "北城街道", "371502000000"),
    ("371502110000", "顾官屯镇", "371502000000"),
    ("371521002000", "侨润街道", "371521000000"),
    ("371525110000", "梁堂镇", "371525000000"),
    ("370883105000", "中心店镇", "370883000000"),
    ("370826206000", "高楼乡", "370826000000"),
]


def test_tree_has_the_seed_names_under_their_codes(demo):
    for code, name, parent_code in SEED_AREAS:
        area = Area.objects.get(code=code)
        assert area.name == name
        assert area.is_demo
        if parent_code is None:
            assert area.parent is None and area.path == f"{code}/"
        else:
            assert area.parent.code == parent_code
            assert area.path == f"{area.parent.path}{code}/"
    # Villages named in the articles whose codes were not found still sit under the right township.
    for name, township_code in [("吴堤口村", "371522101000"), ("温集新村", "371502105000"), ("亓庄村", "371521002000")]:
        village = Area.objects.get(name=name)
        assert village.parent.code == township_code
        assert village.code.startswith(township_code[:9]) and village.level == AreaLevel.VILLAGE


def test_every_township_has_several_villages_and_every_row_is_demo(demo):
    townships = Area.objects.filter(level=AreaLevel.TOWNSHIP)
    assert townships.count() >= 40
    for township in townships:
        assert township.children.count() >= 4, township.name
    assert Area.objects.get(code=directory_demo.DEMO_TOWNSHIP_CODE).children.count() == 43  # "1+43+N" (G01)
    assert Area.objects.get(code="371502008000").children.filter(kind="community").count() == 6
    for model in (Area, Person, Enterprise, Unit, Grid):
        assert model.objects.exists()
        assert not model.objects.filter(is_demo=False).exists(), model.__name__


def test_identifiers_validate_and_are_recognisably_synthetic(demo):
    reference = directory_demo.reference_date()
    persons = list(Person.objects.all())
    assert len(persons) == round(directory_demo.PERSONS_AT_SCALE_1 * SMALL)
    assert len({p.id_number for p in persons}) == len(persons)
    for person in persons:
        assert check_id_number(person.id_number) == person.id_number
        assert person.id_number[14:17] in {"996", "997", "998", "999"}
        assert (person.sex == "male") == (int(person.id_number[16]) % 2 == 1)
        assert 0 <= person.age_on(reference) <= 91
    ages = [p.age_on(reference) for p in persons]
    over_60 = sum(a >= 60 for a in ages) / len(ages)
    under_15 = sum(a < 15 for a in ages) / len(ages)
    assert 0.15 < over_60 < 0.35 and 0.10 < under_15 < 0.25
    males = sum(p.sex == "male" for p in persons) / len(persons)
    assert 0.4 < males < 0.6
    enterprises = list(Enterprise.objects.all())
    for enterprise in enterprises:
        assert check_credit_code(enterprise.credit_code) == enterprise.credit_code
        assert enterprise.credit_code[8:11] == directory_demo.CREDIT_CODE_MARK
        assert enterprise.credit_code[2:8] == enterprise.area.code[:6]
    assert sum(e.is_key for e in enterprises) == round(directory_demo.KEY_ENTERPRISES_AT_SCALE_1 * SMALL)


def test_most_people_live_in_the_demo_county_and_grids_fit_their_villages(demo):
    county = Area.objects.get(code=directory_demo.DEMO_COUNTY_CODE)
    in_county = Person.objects.filter(area__path__startswith=county.path).count()
    assert abs(in_county / Person.objects.count() - directory_demo.DEMO_COUNTY_SHARE) < 0.02
    villages = Area.objects.filter(level=AreaLevel.VILLAGE)
    assert set(Grid.objects.values_list("area_id", flat=True)) == set(villages.values_list("id", flat=True))
    for grid in Grid.objects.select_related("area__parent", "grid_worker__area"):
        assert grid.grid_worker is not None
        assert grid.grid_worker.area.path.startswith(grid.area.parent.path)
    households = sum(Grid.objects.values_list("households", flat=True))
    assert households == round(Person.objects.count() / directory_demo.AVERAGE_HOUSEHOLD_SIZE)
    assert Unit.objects.filter(name="莘县应急管理局", area=county).exists()
    assert Unit.objects.filter(name="张鲁回族镇人民政府", area__code=directory_demo.DEMO_TOWNSHIP_CODE).exists()


def row_counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models() if m._meta.managed}


def test_second_build_adds_nothing():
    from jiceng.demo import build_demo

    first = build_demo(scale=SMALL, seed=3)
    before = row_counts()
    # the directory's residents, plus the teachers and students the education part registers as persons
    assert before["directory.Person"] >= first.figures["persons"] > 0
    second = build_demo(scale=SMALL, seed=3)
    after = row_counts()
    assert after == before
    assert second.figures["persons"] == after["directory.Person"]  # every demo person, the schools' included
    assert second.figures["areas added"] == 0 and "nothing added" in second.figures["directory"]
    assert second.figures["demo logins added"] == 0
    assert [login[0] for login in second.logins] == [login[0] for login in first.logins]
    assert second.figures["seconds"] >= 0


def test_same_seed_same_people_other_seed_other_people():
    def people():
        return list(Person.objects.order_by("id_number").values_list("name", "id_number", "area__code"))

    first = built_then_rolled_back(0.005, 5, people)
    second = built_then_rolled_back(0.005, 5, people)
    other = built_then_rolled_back(0.005, 6, people)
    assert first == second
    assert first != other


def test_scale_is_roughly_proportional():
    def counts():
        return (
            Person.objects.count(),
            Enterprise.objects.count(),
            Enterprise.objects.filter(is_key=True).count(),
            sum(Grid.objects.values_list("households", flat=True)),
        )

    small = built_then_rolled_back(0.01, 1, counts)
    large = built_then_rolled_back(0.03, 1, counts)
    for low, high in zip(small, large, strict=True):
        assert 2.7 < high / low < 3.3, (small, large)
    assert small[0] == 500 and small[2] == 6


def test_demo_logins_authenticate_and_see_their_own_areas(demo):
    usernames = [row[0] for row in accounts_demo.DEMO_USERS]
    assert [login[0] for login in demo.logins] == usernames
    users = {}
    for username, password, scope in demo.logins:
        user = authenticate(username=username, password=password)
        assert user is not None, username
        assert len(password) >= 8 and scope
        users[username] = user

    def persons_under(code: str) -> int:
        return Person.objects.filter(area__path__startswith=Area.objects.get(code=code).path).count()

    expected = {
        "demo_city_admin": persons_under(directory_demo.DEMO_CITY_CODE),
        "demo_county_admin": persons_under(directory_demo.DEMO_COUNTY_CODE),
        "demo_township_staff": persons_under(directory_demo.DEMO_TOWNSHIP_CODE),
        "demo_township_viewer": persons_under(directory_demo.DEMO_TOWNSHIP_CODE),
        "demo_village_staff": persons_under(directory_demo.DEMO_VILLAGE_CODE),
    }
    total = Person.objects.count()
    assert total > expected["demo_city_admin"] > expected["demo_county_admin"] > expected["demo_township_staff"]
    assert expected["demo_township_staff"] > expected["demo_village_staff"] > 0
    for username, count in expected.items():
        assert Person.objects.restrict(users[username]).count() == count, username
    # The township viewer may look but not edit; the staff member may edit in the township only.
    staff, viewer = users["demo_township_staff"], users["demo_township_viewer"]
    assert Person.objects.restrict(viewer, "change").count() == 0
    assert Person.objects.restrict(staff, "change").count() == expected["demo_township_staff"]
    elsewhere = Person.objects.exclude(area__path__startswith=Area.objects.get(code="371522101000").path).first()
    assert not Person.objects.restrict(staff).filter(pk=elsewhere.pk).exists()


def test_modules_find_demo_areas_by_code(demo):
    assert demo.area(directory_demo.DEMO_COUNTY_CODE).name == "莘县"
    assert demo.area("371522101200").full_name == "山东省聊城市莘县张鲁回族镇东街村"
    with pytest.raises(Area.DoesNotExist):
        demo.area("371522999000")


def test_reference_date_is_never_in_the_future():
    assert directory_demo.reference_date() <= timezone.localdate()
    assert directory_demo.reference_date() > timezone.localdate() - dt.timedelta(days=366)
