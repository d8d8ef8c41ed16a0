"""The article's figures, their gallery (live, linked to the playground) and the detail figure."""
