"""Stage 5, run: parameters, subjects, cache keys, lock, warm workers and kernels, manifest (the one command)."""
