"""Driver of receipt_benchmark.sh: starts an Odoo server per measurement and prints, side by
side, the time and the server's peak RSS growth of printing the same receipts through our page
writer (the Print menu's, through Odoo's report route) and through Odoo's QWeb
report rendered by wkhtmltopdf."""

import os
import sys
import time

from bench_server import Server

LOG = os.path.join(os.path.dirname(__file__), "..", "..", ".local", "receipt_bench_server.log")


def measure(odoo, path, ids):
    """(seconds, peak RSS growth in MiB, bytes) of GET `path` on a fresh server."""
    with open(LOG, "a") as log:
        server = Server(odoo, "admin", log=log)
        try:
            # warm-up: one receipt, so that imports, fonts and assets are not counted
            server.session.get(server.url + path(ids[:1]), timeout=600)
            before = server.peak_kib()
            start = time.perf_counter()
            response = server.session.get(server.url + path(ids), timeout=3600)
            elapsed = time.perf_counter() - start
            if response.status_code != 200 or not response.content.startswith(b"%PDF"):
                log.flush()
                return f"FAILED after {elapsed:.2f}s: HTTP {response.status_code}; {last_error()}"
            growth = (server.peak_kib() - before) / 1024
            return elapsed, growth, len(response.content)
        finally:
            server.stop()


def last_error():
    """What wkhtmltopdf or Odoo said last in the server log."""
    with open(LOG, errors="replace") as handle:
        lines = [line.strip() for line in handle if line.strip()]
    said = [line for line in lines if "Exit with code" in line or "Error" in line]
    return said[-1][-120:] if said else f"see {LOG}"


def ours(ids):
    return "/report/pdf/hr_enforcement_service.report_service_receipts/" + ",".join(map(str, ids))


def qweb(variant):
    def path(ids):
        return f"/report/pdf/hr_enforcement_bench.{variant}/" + ",".join(map(str, ids))

    return path


if __name__ == "__main__":
    odoo = sys.argv[1:]
    DB = os.environ["BENCH_DB"]
    ALL = [int(i) for i in os.environ["BENCH_SERVICE_IDS"].split(",")]
    small = min(50, len(ALL))
    print(f"Printing service receipts (one A4 page each), fresh server per line, db {DB}")
    print(f"{'path':48} {'receipts':>8} {'time':>9} {'peak RSS growth':>16} {'PDF size':>10}")
    lines = [
        ("ours: page writer in the Print menu, /report/pdf", ours),
        ("Odoo: QWeb page + wkhtmltopdf, /report/pdf", qweb("report_receipt_plain")),
        ("Odoo: QWeb external layout + wkhtmltopdf", qweb("report_receipt_layout")),
    ]
    results = {}
    for label, route in lines:
        for count in (small, len(ALL)):
            outcome = measure(odoo, route, ALL[:count])
            results[(label, count)] = outcome
            if isinstance(outcome, str):
                print(f"{label:48} {count:>8} {outcome}")
                continue
            seconds, growth, size = outcome
            figures = f"{seconds:>8.2f}s {growth:>12.1f} MiB {size / 1024:>7.0f} KiB"
            print(f"{label:48} {count:>8} {figures}")
    if any(isinstance(outcome, str) for outcome in results.values()):
        print(
            "note: Debian's wkhtmltopdf is built on unpatched Qt and takes one input document; "
            "Odoo's external layout sends one per record, so its batches fail here."
        )
    ours_label = lines[0][0]
    for label, _route in lines[1:]:
        for count in (small, len(ALL)):
            theirs, mine = results[(label, count)], results[(ours_label, count)]
            if isinstance(theirs, str) or isinstance(mine, str):
                continue
            print(f"{count} receipts: ours {theirs[0] / mine[0]:.1f}x faster than {label}")
