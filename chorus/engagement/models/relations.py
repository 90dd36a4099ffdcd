"""Engagement: the relations pipeline's tables."""
