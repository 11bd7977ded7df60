"""Who may read which entries of the audit log: the history pages and the back office."""
