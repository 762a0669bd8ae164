"""The public reading room at /: the conclusions the office has marked public, for anyone."""
