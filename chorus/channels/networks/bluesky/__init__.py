"""Bluesky (AT Protocol) connector: see docs/networks/bluesky.md."""
