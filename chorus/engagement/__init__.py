"""Engagement: contests with verifiable draws, polls, open questions, relations with the people who
relay the brand (DESIGN.md: after listening, before analytics)."""
