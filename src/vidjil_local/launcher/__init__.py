"""Desktop start-up and `serve`: instance lock, free port, server with its workers, browser."""

from vidjil_local.launcher.desktop import launch, serve

__all__ = ["launch", "serve"]
