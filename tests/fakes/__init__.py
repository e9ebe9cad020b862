"""Loopback fakes of the networks' APIs: real HTTP servers on 127.0.0.1 serving real-format payloads.

Each fake keeps its state in memory (loaded from ``fixtures/<network>/``), records every request it gets and
everything published to it, and fails on demand (``fail(method, ...)``) with the network's own error format.
``otklik fake_networks`` serves them on fixed ports for the demo.
"""
