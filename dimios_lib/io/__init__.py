"""Files in and out: tables as Swedish offices produce them, atomic writes, packaged files.

``tables``  read a CSV or Excel file as text cells, naming rows as the user sees them; find the
            header among title rows; the table files of a folder
``grid``    a table of text cells and its header row (what CSV and Excel reading share)
``sniff``   what a file is before it is read: kind, encoding, line ends, separator, cell counts
``excel``   one sheet of a workbook: the first visible one, formulas without saved values
``files``   atomic writes (text and CSV, cells that would start a formula neutralised), file
            hashes, packaged data files, sidecar metadata and the upward search that lets a
            notebook find ``data/`` from ``notebooks/``
"""
