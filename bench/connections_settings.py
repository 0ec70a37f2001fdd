"""Settings for the connections bench's gunicorn: production settings with a one-view URLconf."""

from jiceng.config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.connections_site"
