"""The warm matching index that every app ranking suppliers shares (demands, sharing, events, …).

The index of suppliers (talents and institutions from the foundation) lives here, with the job that
rebuilds it. Apps add what they own (open demands, feedback, the operators' knowledge tables, the watched
models) by registering a ``registry.Contribution`` in their ``AppConfig.ready``, and call
``selectors.suggest_suppliers``: they never import each other to rank.
"""
