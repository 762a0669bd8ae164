"""Figures across the years: indicator series per committee, and tasks that come back (issue 15).

models.py holds the series and each indicator's match to one; periods.py says which periods
compare; matching.py matches a meeting's indicators; repeats.py finds earlier directives that
say nearly the same; charts.py draws a series (SVG on the page, a native chart in XLSX).
"""
