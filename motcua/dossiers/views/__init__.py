"""Staff pages of the dossiers app, one module per page or concern."""
