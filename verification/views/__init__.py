"""Screens of the verification app: Kvalifisering in qualification.py, Verifikasjon in products.py."""
