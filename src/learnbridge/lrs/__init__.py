"""The Learning Record Store (xAPI 1.0.3 and IEEE 9274.1.1 / xAPI 2.0) under /xapi: statements, documents,
activities and agents, and the clients allowed to use it. It sits just above `core` and knows nothing of
people or the catalogue: push (`push.xapi_completions`) turns statements about catalogue items into
completions, which `records` writes."""
