"""Verifikasjon: products, product declarations, verification runs and listing review (VER-1 … VER-7)."""
