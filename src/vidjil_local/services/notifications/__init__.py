"""E-mail notifications: users told when their analyses end (`analyses.py`, by their
`preferences.py`), administrators told of server errors and crashed jobs (`server_errors.py`,
through `services.admin_alerts`), the app's sender thread (`sender.py`) and the E-mail admin
page's facts and test e-mail (`overview.py`)."""
