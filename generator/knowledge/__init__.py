"""The knowledge base as a whole: loaded and indexed, related entries, Git history."""
