"""Page assembly of the workspace, one module per area: it gathers what domain selectors compute."""
