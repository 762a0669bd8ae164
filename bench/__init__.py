"""Development only: the synthetic register and the benchmarks measured on it.

Installed when DEBUG is on, in the tests, or with BENCH=1 (config/settings.py); the product
(resolutions) never imports it.
"""
