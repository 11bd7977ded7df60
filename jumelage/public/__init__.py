"""The public website: each member authority's international relations pages."""
