"""Administration: health, the server status page, the settings page, the audit log search and
export, and the worker diagnostics job."""
