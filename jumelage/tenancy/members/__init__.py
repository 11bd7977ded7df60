"""Who belongs to which member authority, with which role: the services, reads, forms and
back office of users and memberships."""
