"""The versioned HTTP API: version 1 is a read-only open-data API of what member authorities
publish (django-ninja, OpenAPI at /api/v1/openapi.json)."""
