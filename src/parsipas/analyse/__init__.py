"""Stage 3, analyse: pure functions over processed tables (comparisons, weak criteria, actions, places, unit sets)."""
