"""The Comprehensive Ranking System (CRS) as a scoring program plugin (issue 10, item 2)."""
