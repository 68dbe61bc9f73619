"""The WSGI entry point gunicorn serves."""

import subprocess
import sys

from tests.test_settings import ROOT


def test_the_objects_made_while_starting_are_kept_out_of_the_collectors_passes():
    script = (
        "import gc; before = gc.get_freeze_count();"
        " from tracker.wsgi import application;"
        " print(before, gc.get_freeze_count(), callable(application))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "tracker.settings"},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    before, frozen, served = result.stdout.split()
    assert before == "0"
    assert int(frozen) > 10_000  # Django and the project's modules, models and settings
    assert served == "True"
