"""Self-directed development: plans, goals, skill gaps and recommendations that say why."""
