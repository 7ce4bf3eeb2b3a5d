"""Built-in quizzes: the spec an admin writes, laying out and marking attempts, their statements."""
