"""Worker machines: their tokens, what they report, and the queue they take jobs from."""
