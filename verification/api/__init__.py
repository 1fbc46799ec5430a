"""API of the verification app, one module per part; urls.py registers them on one router."""
