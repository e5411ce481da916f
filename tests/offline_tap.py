"""TAP output for the Python tests: checks reported as they are made
(Tap.check) or all at once (report)."""
import sys


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def check(self, name, ok, detail=""):
        """Reports name, and detail (text or a list of lines) if not ok."""
        self.n += 1
        print("%s %d %s" % ("ok" if ok else "not ok", self.n, name))
        if not ok:
            self.failed += 1
            lines = detail if isinstance(detail, list) else str(detail).strip().splitlines()
            for line in lines:
                print("# " + line)
        sys.stdout.flush()
        return ok

    def finish(self):
        """Prints the plan; returns the exit status."""
        print("1..%d" % self.n)
        return 1 if self.failed else 0


def report(checks):
    """checks: (name, problems) pairs, passed when problems is empty.
    Returns the exit status."""
    tap = Tap()
    for name, problems in checks:
        tap.check(name, not problems, list(problems))
    return tap.finish()
