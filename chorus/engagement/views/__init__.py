"""Engagement's views, one module per family."""
