"""Files in and out: tables as Swedish offices produce them, atomic writes, packaged files.

``tables``  read a CSV or Excel file as text cells, naming rows as the user sees them
``files``   atomic writes (text and CSV), file hashes, packaged data files, sidecar metadata and
            the upward search that lets a notebook find ``data/`` from ``notebooks/``
"""
