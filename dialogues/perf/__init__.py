"""The only place where Dialogue Desk reaches past public framework APIs for speed.

Each shortcut here is listed in ``REGISTER.md`` beside this file with its measured gain, the
private API it touches and the test that fails when an upgrade changes that API
(``tests/test_perf_register.py``). Everything else uses documented Django, DRF and library
APIs only; add a shortcut here only after the conventional tools (query shape,
``select_related``/``prefetch_related``, the per-object and page caches) are exhausted.
"""
