"""The demo organisation `learnbridge demo load` builds: people, skills, a catalogue, requirements, plans."""
