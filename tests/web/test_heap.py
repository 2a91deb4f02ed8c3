"""The heap settler freezes what is alive only after the directory loaded documents (ivr.web.heap)."""

import gc

from ivr.web.heap import HeapSettler


def test_the_heap_is_frozen_after_documents_were_loaded_and_not_otherwise() -> None:
    settler = HeapSettler()
    gc.unfreeze()
    try:
        settler.after_loading(0)  # nothing loaded since the start: calls alone never freeze
        assert gc.get_freeze_count() == 0
        settler.after_loading(3)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()  # hand the test process's objects back to the collector
