"""IATI 2.03 activity files: export of published projects, validation, and import."""
