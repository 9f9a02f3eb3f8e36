"""Stage 1, ingest: one reader for every raw file and the reference tables, table kinds as data, every fault at once."""
