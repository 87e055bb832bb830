"""A typesetting generator: the text renditions of the fixtures rendered into many PDFs.

document.py reads a text rendition into typed elements (heading, project title, label/value
row, paragraph, footnote…), styles.py draws the typesetting with Hypothesis, html.py (WeasyPrint)
and docx.py (python-docx → LibreOffice) set the same elements into PDFs, compare.py holds what
the reader must give back: the text rendition's report, field by field, page numbers aside.
"""
