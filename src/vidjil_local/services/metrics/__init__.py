"""Metrics of the server (the Vidjil admin guide's "fast" and "long" lists): what they count
(`catalog.py`), measured and written as JSON or Prometheus text (`values.py`), the metrics group
and account made at start (`account.py`), and who may read them (`access.py`)."""
