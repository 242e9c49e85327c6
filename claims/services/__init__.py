"""Writes of annotations, gold, speakers, projects and members.

Other writes live in their wing, next to the reads they go with: reservations and cursors
(claims.labeling.queue), imports (claims.importing.store) and restores (claims.backup.restore).
"""
