"""Publishing pages. The composer area: composer, posts, media library, hashtag and snippet
library; planning: calendar, queue, planning (approvals, pause, held posts), importing (CSV)."""
