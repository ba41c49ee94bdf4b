"""Thin Qt item models built from column specs over service results."""
