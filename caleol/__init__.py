"""caleol: the secretary's tool for French social-housing attribution commissions (CALEOL)."""

__version__ = "0.1.0"
