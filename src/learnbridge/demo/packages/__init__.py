"""The demo catalogue's e-learning packages, built in code (nothing downloaded or committed as a zip)."""
