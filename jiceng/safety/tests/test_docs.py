"""The module page lists every rule the safety apps and the video engine read (docs stay current)."""

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def seeded_keys():
    keys = {p["key"] for p in json.loads((ROOT / "jiceng/core/policies/seed/policies.json").read_text())["policies"]}
    keys = {k for k in keys if k.startswith("safety.")}
    for path in [*ROOT.glob("jiceng/safety/**/seed/policies.json"), ROOT / "jiceng/core/video/seed/policies.json"]:
        keys |= {p["key"] for p in json.loads(path.read_text(encoding="utf-8"))["policies"]}
    return keys


def test_every_seeded_rule_is_on_the_module_page():
    page = (ROOT / "docs/modules/safety.md").read_text(encoding="utf-8")
    missing = sorted(key for key in seeded_keys() if f"`{key}`" not in page)
    assert len(seeded_keys()) > 50 and missing == []
