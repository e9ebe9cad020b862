"""The staff UI: server-rendered Russian pages (htmx where a page updates in place)."""
