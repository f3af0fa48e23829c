"""Data contracts: one module per input file, each validated once at the boundary.

Every reader reports *every* problem at once (file, row as the user sees it, column, value and
what was expected) and returns a canonical, typed frame; nothing is dropped, averaged or coerced
silently. ``parsing`` holds what the contracts share (column aliases, Swedish number and month
tokens, wide-to-long melting).

``responses``  DiMiOS answers (long or wide, CSV or Excel; one file, several or a folder)
``headers``    item columns by id, question text or a user's mapping file
``answers``    answers as numbers, missing tokens or labels of an answer scale
``checks``     checks across rows and files: duplicates, one round in two files, names
``national``   national reference figures for a municipality's own export
``study``      before/after study answers
``register``   the initiative register (initiatives, stages, KPIs)
``training``   training logs, outcome surveys and self-rated competence
"""
