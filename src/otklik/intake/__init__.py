"""Intake: messages from open sources (R-4) in one model, exactly once.

Owns `Message` (a post, comment, review or chat message), `Post` (a watched post or channel message), `Source`
(what to watch) and its `Cursor`. Connectors live in `otklik.integrations.<network>`.
"""
