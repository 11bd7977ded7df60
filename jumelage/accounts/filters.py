"""Admin list filters scoped to the user's own authorities (kept in core, re-exported here)."""

from jumelage.core.admin import ReadableAuthorityFilter, authority_filter_wanted

__all__ = ["ReadableAuthorityFilter", "authority_filter_wanted"]
