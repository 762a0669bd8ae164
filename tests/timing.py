"""CPU time of a call, for the tests that compare an input with one ten or a hundred times
larger (never an absolute time: machines differ, ratios do not)."""

import gc
import time


def best_cpu_seconds(call, repeat: int = 3) -> float:
    """The least CPU time of *repeat* calls (CPU time: other processes share the machine).

    The garbage collector is off while timing: its full passes walk every object of the test
    process, which would charge the larger input for the size of the rest of the suite's heap.
    """
    best = float("inf")
    gc.collect()
    gc.disable()
    try:
        for _ in range(repeat):
            started = time.process_time()
            call()
            best = min(best, time.process_time() - started)
    finally:
        gc.enable()
    return max(best, 1e-3)
