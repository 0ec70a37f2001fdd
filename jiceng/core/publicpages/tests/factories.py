import itertools

from jiceng.core.publicpages.models import PublicPage
from jiceng.core.publicpages.services import do_publish

_serial = itertools.count(1)


def make_enterprise(area, name=None):
    from jiceng.core import services
    from jiceng.directory.identifiers import make_credit_code
    from jiceng.directory.models import Enterprise

    n = next(_serial)
    return services.do_create(
        Enterprise,
        data={
            "name": name or f"测试企业{n}",
            "credit_code": make_credit_code("91", f"PUB{n:05d}"),
            "area": area,
            "sector": "C",
        },
        acting_user=None,
    )


def make_public_page(area, **kwargs):
    return do_publish(make_enterprise(area), acting_user=None)


TEST_FACTORIES = {PublicPage: make_public_page}
