"""cec-rules: decides Canadian Experience Class eligibility from declarative, dated YAML rulesets.

The code lives in the repository's top-level folders (engine/, facts/, cli/, rulesets/), installed
as the sub-packages of this package.
"""

__version__ = "0.1.0"
