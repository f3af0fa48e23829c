"""Statistics, one family per module; pure functions of numbers, never words.

``intervals``     t-intervals and fast column quantiles
``bootstrap``     seeding, resample counts and BCa intervals
``jackknife``     jackknife variances, pseudo-values and t-intervals; moderated variances
``overlap``       the partially overlapping samples t-test (paired, independent or both)
``smallarea``     the Fay–Herriot model: REML, EBLUP and its mean squared error
``comparisons``   paired and independent two-sample tests (t, Wilcoxon, Mann–Whitney,
                  Brunner–Munzel)
``effect_sizes``  Hedges' g and rank-biserial correlation (with its score interval)
``models``        fixed-effects OLS, difference-in-differences, proportional odds
``clustered``     cluster-robust errors and the wild cluster bootstrap (few clusters)
``multiplicity``  Holm and Benjamini–Hochberg adjustment
``reliability``   Cronbach's alpha and McDonald's omega (pairwise or listwise), ICC(1) and ICC(2)
``clusters``      the respondent-weighted mean over municipalities (ratio estimator) and its interval
``audit``         the linear disclosure audit: which small groups published sums give away
``proportions``   intervals for proportions (Wilson and others)
``ranking``       rank ranges from intervals, and "more alike than chance" permutation tests
"""
