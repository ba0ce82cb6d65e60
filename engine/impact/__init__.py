"""Impact of a ruleset change (`cec diff`): one population decided under two rulesets, what changed and
why, the change to the rules in words, and reports (JSON Lines, JSON, Markdown, HTML)."""
