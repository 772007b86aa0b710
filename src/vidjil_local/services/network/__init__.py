"""The app on the lab network: where it listens, and its HTTPS certificate."""
