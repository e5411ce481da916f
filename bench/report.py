#!/usr/bin/python3
"""bench/report.py RESULTS.csv: the markdown report of a bench/run.sh run.

Per stream length and tool: median wall time, median CPU time (user+sys),
median and largest peak RSS, requests seen by the server, then the wall-time
ratios and the issue's targets.
"""
import csv
import statistics
import sys
from collections import OrderedDict

TOOLS = ["offlinemgr", "curl", "aria2c", "yt-dlp", "ffmpeg"]
RSS_LIMIT_KB = 25 * 1000 * 1000 / 1024   # 25 MB (decimal), in KiB as GNU time reports
FLAT_TOLERANCE = 0.10                     # "flat": at most 10 % (and 2 MiB) more at 10x


def load(path):
    groups = OrderedDict()
    with open(path) as f:
        for row in csv.DictReader(f):
            groups.setdefault((row["length"], row["tool"]), []).append(row)
    return groups


def med(rows, fn):
    return statistics.median(fn(r) for r in rows)


def fmt_s(x):
    return "%.2f s" % x


def main(path):
    groups = load(path)
    lengths = list(OrderedDict.fromkeys(k[0] for k in groups))
    summary = {}
    out = []
    for length in lengths:
        rows_any = next(v for k, v in groups.items() if k[0] == length)
        secs = int(rows_any[0]["seconds"])
        out.append("### %s stream (%d min %02d s)\n" % (length, secs // 60, secs % 60))
        out.append("| tool | runs | median wall | median CPU (user+sys) | peak RSS median (max) "
                   "| requests (expected) | wall / curl | problems |")
        out.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
        curl = groups.get((length, "curl"))
        curl_wall = med(curl, lambda r: float(r["wall"])) if curl else None
        for tool in TOOLS:
            rows = groups.get((length, tool))
            if not rows:
                continue
            wall = med(rows, lambda r: float(r["wall"]))
            cpu = med(rows, lambda r: float(r["user"]) + float(r["sys"]))
            rss = med(rows, lambda r: int(r["maxrss_kb"]))
            rss_max = max(int(r["maxrss_kb"]) for r in rows)
            reqs = sorted(set(r["requests"] for r in rows))
            problems = ["run %s: %s" % (r["run"], r["status"]) for r in rows if r["status"] != "ok"]
            # ffmpeg also opens a text segment or two it was not asked for
            problems += ["run %s: %s requests" % (r["run"], r["requests"])
                         for r in rows
                         if int(r["requests"]) < int(r["expected_requests"])
                         or (tool != "ffmpeg" and r["requests"] != r["expected_requests"])]
            summary[(length, tool)] = dict(wall=wall, cpu=cpu, rss=rss, rss_max=rss_max,
                                           ok=not problems)
            out.append("| %s | %d | %s | %s | %.1f MiB (%.1f) | %s (%s) | %s | %s |" % (
                tool, len(rows), fmt_s(wall), fmt_s(cpu), rss / 1024, rss_max / 1024,
                "/".join(reqs), rows[0]["expected_requests"],
                "%.2f×" % (wall / curl_wall) if curl_wall else "–",
                "; ".join(problems) or "–"))
        loads = [float(r["load1"]) for k, v in groups.items() if k[0] == length for r in v]
        out.append("\nLoad average (1 min) before the runs: median %.2f, max %.2f.\n"
                   % (statistics.median(loads), max(loads)))

    out.append("### Targets (offlinemgr)\n")
    out.append("| target | " + " | ".join("%s stream" % l for l in lengths) + " |")
    out.append("| --- |" + " --- |" * len(lengths))

    def cell(length, check):
        o = summary.get((length, "offlinemgr"))
        if o is None:
            return "–"
        try:
            return check(o, length)
        except KeyError:
            return "–"

    def vs(tool, want, label):
        def check(o, length):
            t = summary[(length, tool)]
            ratio = want(o, t)
            return label(ratio)
        return check

    rows = [
        ("wall ≤ 1.15× curl", vs("curl", lambda o, t: o["wall"] / t["wall"],
                                 lambda x: "%s (%.2f×)" % ("met" if x <= 1.15 else "**not met**", x))),
        ("ahead of aria2c -j6", vs("aria2c", lambda o, t: t["wall"] / o["wall"],
                                   lambda x: "%s (aria2c/offlinemgr %.2f)" % ("met" if x > 1 else "**not met**", x))),
        ("≥ 1.4× faster than yt-dlp -N 6", vs("yt-dlp", lambda o, t: t["wall"] / o["wall"],
                                             lambda x: "%s (%.2f×)" % ("met" if x >= 1.4 else "**not met**", x))),
        ("≥ 5× faster than ffmpeg", vs("ffmpeg", lambda o, t: t["wall"] / o["wall"],
                                       lambda x: "%s (%.2f×)" % ("met" if x >= 5 else "**not met**", x))),
        ("peak RSS ≤ 25 MB", lambda o, l: "%s (max %.1f MB)" % (
            "met" if o["rss_max"] <= RSS_LIMIT_KB else "**not met**", o["rss_max"] * 1024 / 1e6)),
    ]
    for label, check in rows:
        out.append("| %s | %s |" % (label, " | ".join(cell(l, check) for l in lengths)))
    if "x1" in lengths and "x10" in lengths and ("x1", "offlinemgr") in summary \
            and ("x10", "offlinemgr") in summary:
        a = summary[("x1", "offlinemgr")]["rss_max"]
        b = summary[("x10", "offlinemgr")]["rss_max"]
        flat = b - a <= max(FLAT_TOLERANCE * a, 2048)
        out.append("| peak RSS flat at 10× | %s (%.1f → %.1f MB, %+.0f %%) |%s" % (
            "met" if flat else "**not met**", a * 1024 / 1e6, b * 1024 / 1e6, 100.0 * (b - a) / a,
            " |" * (len(lengths) - 1)))
    print("\n".join(out))


if __name__ == "__main__":
    main(sys.argv[1])
