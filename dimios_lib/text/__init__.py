"""The words of the reports, in Swedish and English.

``catalog``  the message catalogs (gettext, one per language, in ``locale/``) and :func:`t` and
             :func:`tn` (plurals), the one way a sentence reaches a reader
``fmt``      numbers, percentages, intervals and dates in the language's conventions (Babel)
``common``   what several reports say (method, reliability, change, settings in words)
``municipality``, ``group``, ``national``, ``study``, ``followup``: one narrative module per
report, turning its computed values (and the study's codes) into sentences and formatted tables
``keys``     the key families the code builds at run time, from the code's constants
``extract``  finding the keys in the code and notebooks (``make catalogs``; docs/text.md)
"""
