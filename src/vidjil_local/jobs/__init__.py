"""Durable jobs: the broker choice, the in-app runtime, and the child processes that do the work."""

from vidjil_local.jobs.runtime import JobRuntime

__all__ = ["JobRuntime"]
