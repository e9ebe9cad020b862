"""The case workflow of clause 8 (R-8.1 … R-8.10, R-11, R-12)."""
