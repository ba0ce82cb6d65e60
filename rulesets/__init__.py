"""The bundled rulesets: YAML and CSV data only, located with importlib.resources."""
