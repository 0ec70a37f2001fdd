import pytest

VIDEO_ROLES = {
    "township_staff": ["video_editor", "alerts_editor"],
    "township_viewer": ["video_viewer", "alerts_viewer"],
    "village_staff": ["video_editor"],
    "outsider": ["video_editor", "alerts_editor"],
}


@pytest.fixture
def video_cast(db):
    """The core cast with the video roles (editor in 燕店镇, 东村 and the sibling 古云镇; viewer in 燕店镇)
    and every seeded policy."""
    from jiceng.core.testing import build_cast, load_seed_policies

    cast = build_cast(extra_roles=VIDEO_ROLES)
    load_seed_policies()
    return cast


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Frames go to a temporary MEDIA_ROOT, never into var/."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"
