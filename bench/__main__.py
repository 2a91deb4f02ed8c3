"""`python -m bench` (or `make bench`): every benchmark, printed as Markdown for docs/benchmarks.md."""

import importlib
import sys

BENCHMARKS = [
    "bench.against_bare",
    "bench.webhook",
    "bench.bench_normalize",
    "bench.inputs",
    "bench.bench_delivery",
    "bench.bench_outbreak",
    "bench.bench_transcribe",
]


def main() -> int:
    for name in BENCHMARKS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError:
            continue
        print(f"## {name}\n", flush=True)
        print(module.report(module.main()), "\n", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
