"""The `cec` command line: thin click commands over the engine."""
