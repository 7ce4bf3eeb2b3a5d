"""The catalogue: learning items with the objectives that say what each is for, their skills, and search."""
