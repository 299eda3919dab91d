"""Tools outside the deployed package (receipts bench, seed data); never in the production image."""
