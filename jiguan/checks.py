"""`manage.py check --deploy`: the files holding personal data and keys are their owner's alone."""

import stat
from pathlib import Path

from django.conf import settings
from django.core.checks import Tags, Warning, register


def _open_to_others(path: Path) -> bool:
    try:
        return bool(stat.S_IMODE(path.stat().st_mode) & 0o077)
    except FileNotFoundError:
        return False


@register(Tags.security, deploy=True)
def private_files(app_configs, **kwargs):
    paths = [
        Path(settings.VAR_DIR),
        Path(settings.VAR_DIR) / "data_key",
        Path(settings.VAR_DIR) / "secret_key",
    ]
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        paths.append(Path(database["NAME"]))
    return [
        Warning(
            f"{path} can be read by users other than its owner.",
            hint=f"chmod go-rwx {path}",
            id="jiguan.W001",
        )
        for path in paths
        if _open_to_others(path)
    ]
