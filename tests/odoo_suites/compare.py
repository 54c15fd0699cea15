"""Reads the logs of Odoo's suites run without and with the hr_enforcement addons, prints
the counts side by side per module and names every test that fails only with our addons.

    compare.py PLAIN_LOG OURS_LOG [--blamed FILE]  the full runs; FILE gets the blamed tests
    compare.py PLAIN_LOG OURS_LOG --again          the blamed tests run again, alone

Both databases load zh_CN, so tests assuming English alone fail (or pass) in both alike.
Exit 1 when a test fails only with our addons."""

import argparse
import re
import sys
from collections import Counter

STARTED = re.compile(r"odoo\.addons\.(\w+)\.tests\.[\w.]+: Starting (\w+\.\w+)")
FAILED = re.compile(r"odoo\.addons\.(\w+)\.tests\.[\w.]+: (?:FAIL|ERROR): (?:Subtest )?(\w+\.\w+)")
# a class whose set-up failed runs none of its tests
SETUP_FAILED = re.compile(r"ERROR: setUpClass \(odoo\.addons\.(\w+)\.tests\.[\w.]*\.(\w+)\)")


def read(path):
    started, failed = Counter(), {}
    with open(path, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            match = STARTED.search(line)
            if match:
                started[match[1]] += 1
                continue
            match = FAILED.search(line)
            if match:
                failed[match[2]] = match[1]
                continue
            match = SETUP_FAILED.search(line)
            if match:
                failed[f"{match[2]}.setUpClass"] = match[1]
    return started, failed


def print_counts(plain_started, plain_failed, ours_started, ours_failed):
    print(f"{'module':<12} {'without our addons':>22} {'with our addons':>22}")
    for module in sorted(set(plain_started) | set(ours_started)):
        plain_fail = sum(1 for m in plain_failed.values() if m == module)
        ours_fail = sum(1 for m in ours_failed.values() if m == module)
        print(
            f"{module:<12} {plain_started[module]:>8} run {plain_fail:>4} failed"
            f" {ours_started[module]:>8} run {ours_fail:>4} failed"
        )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("plain_log")
    parser.add_argument("ours_log")
    parser.add_argument("--blamed", help="write the tests that fail only with ours here")
    parser.add_argument("--again", action="store_true", help="the logs are of a re-run")
    args = parser.parse_args()
    plain_started, plain_failed = read(args.plain_log)
    ours_started, ours_failed = read(args.ours_log)
    if not sum(plain_started.values()) or not sum(ours_started.values()):
        print("odoo_suites: no test ran in one of the runs; see the logs")
        return 2
    if not args.again:
        print_counts(plain_started, plain_failed, ours_started, ours_failed)
    blamed = sorted(set(ours_failed) - set(plain_failed))
    for test in blamed:
        print(f"FAILS ONLY WITH OUR ADDONS: {ours_failed[test]} {test}")
    if args.blamed:
        with open(args.blamed, "w", encoding="utf-8") as handle:
            handle.writelines(f"{ours_failed[test]} {test}\n" for test in blamed)
    if args.again:
        print(f"odoo_suites (run again alone): {len(blamed)} still fail only with our addons")
    else:
        both = sorted(set(plain_failed) & set(ours_failed))
        if both:
            print(f"fail in both databases (Odoo's own, {len(both)}): {', '.join(both)}")
        total = sum(ours_started.values())
        print(f"odoo_suites: {total - len(ours_failed)} passed, {len(blamed)} failed")
    return 1 if blamed else 0


if __name__ == "__main__":
    sys.exit(main())
