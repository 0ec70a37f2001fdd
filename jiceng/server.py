"""The production web server (gunicorn), started in-process by ``jiceng serve`` and ``jiceng demo``."""

from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication


class _Server(BaseApplication):
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from jiceng.config.wsgi import application

        return application


def serve(*, host: str = "127.0.0.1", port: int = 8000, workers: int = 2) -> None:
    _Server(
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "threads": 4,
            "worker_class": "gthread",
            "accesslog": "-",
            "timeout": 60,
        }
    ).run()
