"""Statistics, one family per module; pure functions of numbers, never words.

``intervals``     t-intervals and fast column quantiles
``bootstrap``     seeding, resample counts and BCa intervals
``comparisons``   paired and independent two-sample tests (t, Wilcoxon, Mann–Whitney,
                  Brunner–Munzel)
``effect_sizes``  Hedges' g and rank-biserial correlation (with its score interval)
``models``        fixed-effects OLS, difference-in-differences, proportional odds
``clustered``     cluster-robust errors and the wild cluster bootstrap (few clusters)
``multiplicity``  Holm and Benjamini–Hochberg adjustment
``reliability``   Cronbach's alpha and McDonald's omega
``proportions``   intervals for proportions (Wilson and others)
``ranking``       rank ranges from intervals, and "more alike than chance" permutation tests
"""
