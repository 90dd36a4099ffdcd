"""Pages of the composer area: composer, posts, media library, hashtag and snippet library."""
