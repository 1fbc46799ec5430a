"""Forms of the verification app, one module per part. Forms parse and display; the services decide."""
