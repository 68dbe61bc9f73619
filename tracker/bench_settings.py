"""Settings for `make bench`: the project's settings, plus a trivial view to compare pages with.

Everything else comes from the environment, exactly as in production (see bench/README.md).
"""

from tracker.settings import *  # noqa: F403

ROOT_URLCONF = "tracker.bench_urls"
