"""The workspace's pages, one module per area of the job (home, projects, payments, calendar...).
Views are thin: each finds the user's seat in the authority named by the address (a 404 for an
authority they are not a member of), asks the selectors or calls the services, renders with
`frame.render_page`."""
