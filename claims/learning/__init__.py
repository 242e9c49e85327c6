"""Suggestions that learn from the project's own labels: models trained in the tool.

A Django app (its own tables and migrations) over the model core in claims/nlp/training:

- ``models``: ``SuggestionModel`` (a trained model's bytes, versioned per project, at most one
  active), ``Prediction`` (imported pre-annotations: never human work), ``Uncertainty`` (each
  sentence's claim uncertainty under the active model, for the queue's uncertain-first order,
  which the project's ``queue_order`` asks for).
- ``documents``: a project's gold (and, if asked, submitted) labels as training documents.
- ``training``: train, store and report (``manage.py train_suggester``, the job of that name).
- ``activation``: activate or deactivate a model; score the queue's uncertainty.
- ``loader``: the active model of a project, loaded once per process, reloaded when another
  is activated (one cheap query per request tells).
- ``serving``: the suggestions a sentence is offered: model, rules and predictions.
- ``label_import``: article-level labels mapped onto the project's sentences (``--as``).

This package is a Django app and imports nothing at the top; import from the submodules.
"""
