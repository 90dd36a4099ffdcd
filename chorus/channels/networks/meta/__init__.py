"""What Facebook Pages, Instagram and Threads share: Meta's Graph API and how its answers read."""
