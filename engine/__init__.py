"""The generic rule engine: ruleset language (models, loader, validator), compiler to durable-rules,
runtime and decisions. Only `compiler` and `runtime` know about durable-rules."""
