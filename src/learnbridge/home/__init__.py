"""The home page: what each role needs first, gathered from the areas below."""
