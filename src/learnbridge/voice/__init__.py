"""Learning designed with the people who do the work: needs raised, voted on and triaged
(DESIGN.md, voice)."""
