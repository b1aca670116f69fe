"""Payment pages: the desk's collections and daily statement, paying online, the demo gateway."""
