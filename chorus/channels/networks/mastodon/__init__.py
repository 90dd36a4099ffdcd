"""Mastodon connector: see docs/networks/mastodon.md."""
