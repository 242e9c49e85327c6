"""Exports: the record stream (dataset.py) -> one formatter per format (formats/) -> a writer
(pipeline.py); and the lossless project backup (backup.py) and its restore (restore.py)."""
