"""Screens of the store app: catalogue views in catalogue.py, joint procurement in procurement.py."""
