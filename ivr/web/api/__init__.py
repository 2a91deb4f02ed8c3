"""The staff API under /api/v1: API keys, business configuration, ring count, call log, what a caller hears."""
