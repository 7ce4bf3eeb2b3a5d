"""Evidence of learning: completions, enrolments and openings, with the origin that says whether the
learning was pulled or pushed; the platform's own events, written to the LRS (`learnbridge.lrs`) as xAPI
statements."""
