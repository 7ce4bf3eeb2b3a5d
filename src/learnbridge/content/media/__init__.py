"""Video and document content: reading uploads, counting what was watched or read, the players."""
