"""Data quality: gather submitted annotations and measure how far annotators agree.

The maths lives in stats (no Django). gather reads the database in a fixed number of queries,
fields turns annotations into ratings per label field, and report, annotators and
disagreements build the agreement report, the per-annotator summary and the disagreement queue.
"""
