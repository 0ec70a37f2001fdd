from jiceng.party.testing import make_member, make_org


def test_party_roles_cover_every_party_app(party_cast):
    from jiceng.accounts.roles import module_groups

    assert set(module_groups()["party"]) == {
        "party",
        "party_members",
        "party_life",
        "party_points",
        "party_dues",
        "party_registries",
    }
    user = party_cast.township_staff
    assert user.has_perm  # the cast user exists
    from jiceng.core.scope import user_scope_paths

    assert user_scope_paths(user, "party_members.change_partymember") == [party_cast.area("燕店镇").path]
    assert user_scope_paths(party_cast.township_viewer, "party_members.change_partymember") == []


def test_member_area_follows_its_org(party_cast):
    org = make_org(party_cast.area("东村"))
    member = make_member(org)
    assert member.area == party_cast.area("东村")
    other = make_org(party_cast.area("南村"))
    member.org = other
    member.save(update_fields=["org"])
    member.refresh_from_db()
    assert member.area == party_cast.area("南村")


def test_seeded_party_policies_resolve_for_the_cast(party_cast):
    from jiceng.core.policies.services import get_policy

    assert get_policy("party.development.min_age", area_path=party_cast.area("东村").path).value == 18
