"""Before/after studies of innovation capability (DigiGrow), with or without comparison
municipalities. The data contract is :mod:`dimios_lib.contracts.study`.

``scores``    respondents' dimension scores and the design (paired, independent, partial)
``compare``   one municipality's two waves: tests and effect sizes with BCa intervals
``items``     the item-level ordinal check and the scales' reliability
``verdicts``  warnings and conclusions as codes and numbers
``analysis``  :func:`analyse_study`, the one entry point, and :class:`StudyResults`
"""
