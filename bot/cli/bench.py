"""`python -m bot bench` (what `make bench` runs): ours against Rasa's `rasa init` bot, side by side."""

from __future__ import annotations

import argparse
from pathlib import Path

QUICK = {"rounds": 1, "users": 2, "duration": 3.0, "single_messages": 5}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "bench", help="mål svar/s, svartider og hukommelse side om side med Rasas `rasa init`-bot"
    )
    parser.add_argument(
        "--rounds", type=_positive, default=3, help="runder skiftevis vores/deres (standard 3)"
    )
    parser.add_argument("--users", type=_positive, default=10, help="samtidige brugere (standard 10)")
    parser.add_argument("--duration", type=_seconds, default=30.0, help="sekunder pr. måling (standard 30)")
    parser.add_argument(
        "--single-messages", type=_positive, default=50, help="beskeder fra én bruger pr. runde (standard 50)"
    )
    parser.add_argument(
        "--quick", action="store_true", help="kort prøvekørsel: 1 runde, 2 brugere, 3 s (tallene siger intet)"
    )
    parser.add_argument("--model", type=Path, help="vores model (standard: den aktuelle)")
    parser.add_argument(
        "--reference-venv",
        choices=("own", "project"),
        default="own",
        help="`rasa init`-botten i sin egen venv (standard) eller i projektets (ingen installation)",
    )
    parser.add_argument(
        "--env", action="append", default=[], metavar="NAVN=VÆRDI",
        help="ekstra miljøvariabel til vores servere, fx SANIC_WORKERS=2 (kan gentages)",
    )  # fmt: skip
    parser.add_argument(
        "--endpoints", type=Path, help="vores endpoints-fil (standard endpoints.yml), fx med Redis-låse"
    )
    parser.add_argument(
        "--production", action="store_true",
        help="mål produktionsprofilen (PostgreSQL, Redis, 2 Rasa- og 2 action-servere) gennem nginx",
    )  # fmt: skip
    parser.add_argument(
        "--scaling", action="store_true",
        help="mål produktionsprofilen med 1 instans mod flere (--instances), skiftevis; mål ≥ 1,6×",
    )  # fmt: skip
    parser.add_argument("--instances", type=_positive, help="instanser mod 1 ved --scaling (standard 2)")
    parser.set_defaults(func=_bench)


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} er ikke et helt tal") from None
    if not 1 <= number <= 10_000:
        raise argparse.ArgumentTypeError("skal være mellem 1 og 10000")
    return number


def _seconds(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} er ikke et tal") from None
    if not 0.5 <= number <= 3600:
        raise argparse.ArgumentTypeError("skal være mellem 0,5 og 3600 sekunder")
    return number


def _environment(pairs: list[str]) -> dict[str, str]:
    environment = {}
    for pair in pairs:
        name, separator, value = pair.partition("=")
        if not separator or not name:
            raise ValueError(f"--env skal være NAVN=VÆRDI, ikke {pair!r}")
        environment[name] = value
    return environment


def _bench(args: argparse.Namespace) -> int:
    from bot import bench
    from bot.bench_reference import PROJECT_VENV

    sizes = QUICK if args.quick else {
        "rounds": args.rounds, "users": args.users, "duration": args.duration,
        "single_messages": args.single_messages,
    }  # fmt: skip
    if args.scaling:
        return _scaling(args, sizes)
    if args.instances is not None:
        print("--instances gælder kun sammen med --scaling (1 instans mod flere).")
        return 2
    try:
        results = bench.run_benchmark(
            **sizes,
            model=args.model,
            reference_python=PROJECT_VENV if args.reference_venv == "project" else None,
            extra_env=_environment(args.env),
            endpoints=args.endpoints,
            production=args.production,
        )
    except (FileNotFoundError, ValueError, RuntimeError, TimeoutError) as error:
        print(error)
        return 1
    return _print_report(bench.report_lines(results), bench.RESULTS_FILE)


def _scaling(args: argparse.Namespace, sizes: dict) -> int:
    from bot import bench_scaling

    try:
        results = bench_scaling.run_scaling(
            instances=args.instances or 2, rounds=sizes["rounds"], users=sizes["users"],
            duration=sizes["duration"], model=args.model, extra_env=_environment(args.env),
        )  # fmt: skip
    except (FileNotFoundError, ValueError, RuntimeError, TimeoutError) as error:
        print(error)
        return 1
    return _print_report(bench_scaling.scaling_report_lines(results), bench_scaling.SCALING_RESULTS_FILE)


def _print_report(lines: list[str], results_file: Path) -> int:
    for line in lines:
        print(line)
    print(f"Resultaterne er gemt i {results_file}")
    return 0
