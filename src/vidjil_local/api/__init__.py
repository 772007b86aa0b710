"""The REST API and the static client, served by Litestar."""
