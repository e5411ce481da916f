#!/usr/bin/python3
"""Prints "N passed, N failed[, N skipped]" from meson's test log.

Each TAP test case that meson ran counts once (GTest programs run with
--tap); a test whose result meson marked as failed without any failing TAP
line (a crash, a timeout, a bad exit code) counts as one more failure.
Exits 1 if anything failed or nothing ran.
"""
import json
import re
import sys

TAP_LINE = re.compile(r"^(not ok|ok)\b(.*)$")
FAILED_RESULTS = {"FAIL", "UNEXPECTEDPASS", "TIMEOUT", "ERROR"}


def count(log_path):
    passed = failed = skipped = 0
    with open(log_path, encoding="utf-8") as log:
        for line in log:
            if not line.strip():
                continue
            test = json.loads(line)
            result = test.get("result", "ERROR")
            cases = [TAP_LINE.match(l) for l in (test.get("stdout") or "").splitlines()]
            cases = [c for c in cases if c]
            if not cases:
                if result in FAILED_RESULTS:
                    failed += 1
                elif result == "SKIP":
                    skipped += 1
                else:
                    passed += 1
                continue
            test_failed = 0
            for case in cases:
                directive = case.group(2).upper()
                if "# SKIP" in directive:
                    skipped += 1
                elif case.group(1) == "not ok" and "# TODO" not in directive:
                    test_failed += 1
                else:
                    passed += 1
            if result in FAILED_RESULTS and test_failed == 0:
                test_failed = 1
            failed += test_failed
    return passed, failed, skipped


def main():
    passed, failed, skipped = count(sys.argv[1])
    summary = f"{passed} passed, {failed} failed"
    if skipped:
        summary += f", {skipped} skipped"
    print(summary)
    return 1 if failed or passed + skipped == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
