"""Data quality: gather submitted annotations and measure how far annotators agree.

The maths lives in claims/agreement.py (no Django); this package reads the database in a
fixed number of queries (gather), turns annotations into ratings per label field (fields),
and builds the agreement report, the per-annotator summary and the disagreement queue.
"""
