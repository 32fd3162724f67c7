"""`python -m bot bench` (what `make bench` runs): speed and memory, printed as numbers."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "bench", help="mål svartider, gennemløb og hukommelse (kun tal, ingen krav)"
    )
    parser.add_argument(
        "--messages", type=_positive, default=100, help="beskeder én ad gangen (standard 100)"
    )
    parser.add_argument("--senders", type=_positive, default=8, help="samtidige afsendere (standard 8)")
    parser.add_argument(
        "--load-requests", type=_positive, default=160, help="beskeder i alt under belastning (standard 160)"
    )
    parser.add_argument("--parses", type=_positive, default=50, help="kald af /model/parse (standard 50)")
    parser.add_argument("--model", type=Path, help="model (standard: den aktuelle)")
    parser.set_defaults(func=_bench)


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} er ikke et helt tal") from None
    if not 1 <= number <= 10_000:
        raise argparse.ArgumentTypeError("skal være mellem 1 og 10000")
    return number


def _bench(args: argparse.Namespace) -> int:
    from bot import bench

    try:
        results = bench.run_benchmark(
            messages=args.messages,
            senders=args.senders,
            load_requests=args.load_requests,
            parses=args.parses,
            model=args.model,
        )
    except FileNotFoundError as error:
        print(error)
        return 1
    for line in bench.report_lines(results):
        print(line)
    print(f"Resultaterne er gemt i {bench.RESULTS_FILE}")
    return 0
