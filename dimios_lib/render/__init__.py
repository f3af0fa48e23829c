"""From words and numbers to pages: HTML blocks, figures, the page template and its checks.

``blocks``   display blocks that look the same in JupyterLab and in the exported page
``figures``  the report figures (colour-blind-safe, labelled in the report language)
``page``     the self-contained page around an executed notebook, and the rules every shared
             page must keep (:func:`check_html`)
"""
