"""Benchmarks of Markedsplassen: `make bench` runs `python -m bench`, which runs every bench/*.py module's run()."""
