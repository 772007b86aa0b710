"""vidjil-local: the Vidjil immune-repertoire platform as one desktop application."""

__version__ = "0.1.0"
