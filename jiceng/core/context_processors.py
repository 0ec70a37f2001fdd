from __future__ import annotations

from typing import Any

from django.http import HttpRequest

import jiceng
from jiceng.core.navigation import menu_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    return {"menu": menu_for(getattr(request, "user", None)), "jiceng_version": jiceng.__version__}
