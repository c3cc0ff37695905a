"""How a librarian gets an entry in: kb new, editor snippets, the PR report, issue forms, the web editor."""
