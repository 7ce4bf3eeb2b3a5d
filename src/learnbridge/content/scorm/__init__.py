"""SCORM 1.2 and SCORM 2004 (3rd and 4th editions) delivery: reading a package's imsmanifest.xml into a
content version's spec (`manifest`), and the server side of the run-time API the browser provides with
the scorm-again library (`runtime`: the CMI data each SCO commits, kept whole for resume on any device,
and the status, score and time the attempt takes from it). `api` holds the routes the player calls."""
