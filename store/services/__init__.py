"""Services of the store app, one module per part (catalogue, procurement)."""
