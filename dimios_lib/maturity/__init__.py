"""The DiMiOS model: from validated answers to shareable results.

``scoring``      item, category, dimension and maturity percentages with bootstrap intervals
``types``        organisation types A–D from capability and legacy
``benchmarks``   national, county and group means of municipality scores (one implementation)
``change``       change between rounds
``privacy``      suppression of small groups
``reliability``  alpha and omega of the model's scales
``tables``       every shareable table at once (``dimios tables``)
"""
