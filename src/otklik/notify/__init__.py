"""Notifications outside a case: in-app notices (reports delivered to observers) and the immediate alerts of
clause 14 (R-14) — socially significant messages and surges — sent in the app, by e-mail and to a Telegram chat."""
