"""Made from the entries besides pages: feeds, exports, citations, statistics, charts, contributors."""
