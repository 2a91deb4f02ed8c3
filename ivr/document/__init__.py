"""The business document: validation (model), YAML (load), and conversion to the call flow (convert)."""
