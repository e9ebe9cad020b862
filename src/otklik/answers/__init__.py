"""The answer checker (R-9, R-11): findings with spans, explanations and suggestions, and a 0–100 score."""
