"""The DiMiOS model: from validated answers to shareable results.

``scoring``      item, category, dimension and maturity percentages with bootstrap intervals
``types``        organisation types A–D from capability and legacy
``benchmarks``   national, county and group means of municipality scores (one implementation)
``change``       change between rounds
``privacy``      suppression of small groups, and of values a hidden one could be worked back from
``disclosure``   complementary suppression of unit and role groups, audited; hidden groups unnamed
``reliability``  alpha and omega of the model's scales (pairwise), ICCs of municipality means
``tables``       every shareable table at once (``dimios tables``), and the release behind them
"""
