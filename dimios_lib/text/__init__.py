"""The words of the reports, in Swedish and English.

``catalog``  the message catalogs (gettext, one per language) and :func:`t`, the one way a
             sentence reaches a reader
``fmt``      numbers, percentages, intervals and dates in the language's conventions (Babel)
``common``   what several reports say (method, reliability, change)
``municipality``, ``group``, ``national``, ``study``, ``followup``: one narrative module per
report, turning its computed values into sentences and formatted tables
"""
