"""Below every stage: paths, errors, atomic writes, locking, formatting, the message catalogue, text folding."""
