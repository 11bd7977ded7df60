"""Member authorities own records: the access rule, the owned-record bases, the write path,
the back office of members and of the audit log."""
