"""Scope-matrix factories: one object of every served party_members model in a given area."""

import datetime as dt

from jiceng.party.members import models as m
from jiceng.party.testing import make_member, make_org


def member(area):
    return make_member(make_org(area))


def pairing(area):
    org = make_org(area)
    return m.MentorPairing.objects.create(
        member=make_member(org), mentor=make_member(org), started_on=dt.date(2025, 7, 1), ends_on=dt.date(2028, 7, 1)
    )


def record(model, **fields):
    def make(area):
        return model.objects.create(member=member(area), **fields)

    return make


D = dt.date(2025, 7, 1)

TEST_FACTORIES = {
    m.PartyMember: member,
    m.MentorPairing: pairing,
    m.ApplicationTalk: record(m.ApplicationTalk, talked_on=D, talker="书记"),
    m.ActivistReview: record(m.ActivistReview, reviewed_on=D, conclusion="合格"),
    m.PoliticalReview: record(m.PoliticalReview, concluded_on=D, conclusion="合格", passed=True),
    m.Training: record(m.Training, course="培训", started_on=D, ended_on=D, days=3, hours=24),
    m.PublicNotice: record(m.PublicNotice, purpose="admission", starts_on=D, ends_on=D),
    m.BranchVote: record(
        m.BranchVote, purpose="admission", held_on=D, expected_voters=3, present_voters=3, in_favour=3
    ),
    m.Approval: record(m.Approval, purpose="admission", decided_on=D, approved=True),
}


def _mentor(area):
    org = make_org(area)
    return m.Mentor.objects.create(member=make_member(org), mentor=make_member(org), assigned_on=D)


def _sponsor(area):
    org = make_org(area)
    return m.Sponsor.objects.create(member=make_member(org), sponsor=make_member(org), since=D)


def _activity(area):
    return m.MentoringActivity.objects.create(pairing=pairing(area), held_on=D, summary="谈心")


TEST_FACTORIES.update({m.Mentor: _mentor, m.Sponsor: _sponsor, m.MentoringActivity: _activity})
