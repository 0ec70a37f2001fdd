import datetime as dt
from decimal import Decimal

from jiceng.party.dues import models as m
from jiceng.party.testing import make_member, make_org

D = dt.date(2026, 3, 1)


def record(model, **fields):
    def make(area):
        return model.objects.create(member=make_member(make_org(area)), **fields)

    return make


TEST_FACTORIES = {
    m.DuesPayment: record(m.DuesPayment, month=D, amount=Decimal("10.00"), paid_on=D),
    m.IncomeDeclaration: record(m.IncomeDeclaration, effective_month=D, monthly_income=Decimal(4000)),
    m.DuesReduction: record(m.DuesReduction, from_month=D, monthly_amount=Decimal("0.20"), approval="镇党委批复"),
    m.AssignedTask: record(m.AssignedTask, task="网格巡查", assigned_on=D),
    m.ContactLoss: record(m.ContactLoss, lost_since=D),
    m.StudyCredit: record(m.StudyCredit, source="online_course", title="灯塔在线", earned_on=D, hours=Decimal(4)),
}
