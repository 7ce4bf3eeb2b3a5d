"""Learning that runs in the browser: the content versions of each catalogue item (SCORM 1.2/2004, cmi5
and xAPI packages, video, PDF documents, links, policies to acknowledge, quizzes), people's attempts at
them and the progress those attempts record. A finished attempt becomes a completion through `records`."""
