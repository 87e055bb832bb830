"""The web process collects garbage less often than Python's default (portal.wsgi)."""

import gc
import importlib


def test_the_web_process_passes_over_young_objects_less_often():
    before = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)  # Python's default
        wsgi = importlib.reload(importlib.import_module("portal.wsgi"))
        assert gc.get_threshold() == (wsgi.YOUNG_OBJECTS_PER_PASS, 10, 10)
        assert wsgi.YOUNG_OBJECTS_PER_PASS > 700
    finally:
        gc.set_threshold(*before)
