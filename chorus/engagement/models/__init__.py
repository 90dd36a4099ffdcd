"""Engagement's tables, one module per family; importing them here registers them with Django."""

from chorus.engagement.models import contests, polls, relations  # noqa: F401
