"""Benchmarks of the map app: ``python -m tests.benchmarks [--sizes real,1000,10000,100000] [--json OUT]``.

Every measurement runs in a fresh process (``tests.benchmarks.worker``) offscreen; the runner
(``__main__``) starts them, prints a table and writes the JSON. Nothing here is imported by the unit
tests except the smoke test, which runs the runner in a subprocess on a tiny dataset.
"""
