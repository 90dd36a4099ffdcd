"""Threads (Meta): one Threads profile per channel, signed in with Threads' own OAuth."""
