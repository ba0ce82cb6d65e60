"""Batch evaluation for operators (`cec batch`): streaming input, worker processes with crash isolation,
durable resumable output, rejects, progress and a summary."""
