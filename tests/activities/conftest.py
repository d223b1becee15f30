import pytest


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Attachments go to a temporary MEDIA_ROOT, so that tests can look for orphaned files."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root
