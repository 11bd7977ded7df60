"""The workspace's forms, one module per area; fields in French habits come from core.fields."""
