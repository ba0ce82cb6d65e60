"""The decision service: an HTTP API over the engine, and the decision record that makes decisions replayable."""
