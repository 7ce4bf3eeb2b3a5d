"""Recommendations that say why: candidates, their signals and scores, the reason shown, and the
pages, endpoints and job that serve them."""
