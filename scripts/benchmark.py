"""Benchmark Haven at scale and print figures (never asserted: see tests for behaviour).

    .venv/bin/python scripts/benchmark.py validate --records 10000 [--shared]
    .venv/bin/python scripts/benchmark.py site --records 500 1000 2000
    .venv/bin/python scripts/benchmark.py serve --records 1000
    .venv/bin/python scripts/benchmark.py nearby [--site site]
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from haven.records import load_directory
from haven.records.reporters import as_text
from haven.synthetic import LANGUAGES, label, make_directory

REPO = Path(__file__).resolve().parent.parent


def bench_validate(counts: list[int], languages: int, shared: bool) -> None:
    """``shared``: every record also lists one national hotline (one warning, not N²)."""
    print(f"{'records':>8} {'langs':>5} {'seconds':>8} {'records/s':>10} {'peak MB':>8} "
          f"{'warnings':>8} {'report KB':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        for count in counts:
            root = make_directory(Path(tmp) / f"d{count}", REPO / "directory", count,
                                  LANGUAGES[:languages], shared)
            start = time.perf_counter()
            validation = load_directory(root)
            seconds = time.perf_counter() - start
            assert validation.ok, validation.problems.errors[:3]
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            report = len(as_text(validation).encode()) / 1024
            print(f"{count:>8} {languages:>5} {seconds:>8.2f} {count / seconds:>10.0f} "
                  f"{peak:>8.0f} {len(validation.problems.warnings):>8} {report:>9.1f}")


def _tree_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def _build_in_child(config: Path, jobs: int, mkdocs: bool = False) -> tuple[float, float]:
    """Wall time and peak memory (MB, largest process) of a full build in child processes:
    `haven build` (languages in parallel), or `mkdocs build` (one after another)."""
    import subprocess
    import sys

    build = ("from mkdocs.commands.build import build\n"
             "from mkdocs.config import load_config\n"
             f"build(load_config({str(config)!r}))\n") if mkdocs else (
             "from pathlib import Path\n"
             "from haven.site.split import build_site\n"
             f"build_site(Path({str(config)!r}), jobs={jobs})\n")
    start = time.perf_counter()
    child = subprocess.run(
        [sys.executable, "-c", "import resource\n" + build +
         "own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
         "kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
         "print(max(own, kids))"],
        capture_output=True, text=True)
    if child.returncode:
        raise SystemExit(f"build failed:\n{child.stderr[-3000:]}")
    return time.perf_counter() - start, int(child.stdout.strip().splitlines()[-1]) / 1024


def _first_visit_gzip(site: Path, path: str) -> int:
    """Gzip bytes of a first visit, measured in Chromium (0 when Chromium is missing)."""
    import functools
    import http.server
    import threading

    from haven.measure import first_visit, total_gzip

    if not Path("/usr/bin/chromium").exists():
        return 0
    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                                 args=["--headless=new", "--no-sandbox"])
            url = f"http://127.0.0.1:{server.server_address[1]}/{path}"
            weight = total_gzip(first_visit(browser.new_page(), url))
            browser.close()
    finally:
        server.shutdown()
    return weight


def bench_site(counts: list[int], jobs: int) -> None:
    """Full builds (5 languages, pamphlets, search, open data) of N synthetic services.

    cold: nothing cached (every pamphlet rendered); warm: a rebuild with the pamphlet cache
    (what a pull request or an edit pays); one change: the rebuild after one record changes.
    """
    import sys

    sys.path.insert(0, str(REPO))
    from tests.site.building import write_config

    print(f"{'records':>7} {'pages':>6} {'valid s':>7} {'cold s':>7} {'warm s':>7} "
          f"{'mkdocs warm s':>13} {'1 edit s':>8} {'pages/s':>7} {'peak MB':>7} {'site MB':>7} "
          f"{'record KB':>9} {'1st visit gz KB':>15}")
    with tempfile.TemporaryDirectory() as tmp:
        for count in counts:
            out = Path(tmp) / f"s{count}"
            root = make_directory(out / "directory", REPO / "directory", count)
            start = time.perf_counter()
            load_directory(root).require()
            validate = time.perf_counter() - start
            config = write_config(out, directory=root)
            cold, peak = _build_in_child(config, jobs)
            warm, _ = _build_in_child(config, jobs)
            serial, _ = _build_in_child(config, jobs, mkdocs=True)
            one = root / "services" / "service-00007.yaml"
            before = f"Support Service {label(7)} (en)"
            after = before.replace("(en)", "(edited)")
            one.write_text(one.read_text(encoding="utf-8").replace(before, after))
            edit, _ = _build_in_child(config, jobs)
            site = out / "site"
            pages = sum(1 for _ in site.rglob("index.html"))
            record = site / "services" / "service-00000" / "index.html"
            visit = _first_visit_gzip(site, "services/service-00000/")
            print(f"{count:>7} {pages:>6} {validate:>7.1f} {cold:>7.1f} {warm:>7.1f} "
                  f"{serial:>13.1f} {edit:>8.1f} {pages / warm:>7.0f} {peak:>7.0f} "
                  f"{_tree_bytes(site) / 1e6:>7.1f} {record.stat().st_size / 1024:>9.1f} "
                  f"{visit / 1024:>15.1f}", flush=True)


def _serve_edit(config: Path, record: Path, service: str) -> tuple[float, float]:
    """Start `mkdocs serve --dirty`, edit one record, and time until the served page shows
    the edit: (seconds to the first page, seconds from the edit to the change online)."""
    import socket
    import subprocess
    import sys
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/services/{service}/"
    start = time.perf_counter()
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dirty",
         "--dev-addr", f"127.0.0.1:{port}", "--config-file", str(config)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def shows(text: str) -> bool:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return text in response.read().decode()
        except OSError:
            return False

    try:
        while not shows("</html>"):
            if server.poll() is not None:
                raise SystemExit("mkdocs serve stopped")
            time.sleep(0.2)
        first = time.perf_counter() - start
        # Let the first build's background work (search index, open data) finish, as it
        # has by the time someone edits a record.
        time.sleep(20)
        marker = f"edited at {time.time():.0f}"
        record.write_text(record.read_text(encoding="utf-8").replace(
            f"Support Service {label(int(service.rsplit('-', 1)[1]))} (en)", marker))
        edited = time.perf_counter()
        while not shows(marker):
            time.sleep(0.05)
        return first, time.perf_counter() - edited
    finally:
        server.terminate()
        server.wait()


def bench_serve(counts: list[int]) -> None:
    """`mkdocs serve --dirty` on N synthetic services: the first build, then one edit."""
    import sys

    sys.path.insert(0, str(REPO))
    from tests.site.building import write_config

    print(f"{'records':>7} {'first page s':>12} {'edit shown s':>12}")
    with tempfile.TemporaryDirectory() as tmp:
        for count in counts:
            out = Path(tmp) / f"s{count}"
            root = make_directory(out / "directory", REPO / "directory", count)
            config = write_config(out, directory=root)
            first, edit = _serve_edit(config, root / "services" / "service-00007.yaml",
                                      "service-00007")
            print(f"{count:>7} {first:>12.1f} {edit:>12.1f}", flush=True)


def bench_nearby(site: Path) -> None:
    """The ZIP code / postcode table's size (gzip) for the shipped places and for every
    county of the US, and the lookup's time in Chromium with the CPU slowed 4 times (a
    cheap phone): the first lookup (fetching and reading the table from a local server)
    and the next ones (the table already in memory). ``site``: a built site."""
    import gzip
    import json

    from haven.site import nearby

    directory = load_directory(REPO / "directory").require()
    languages = ["en", "es", "zh", "vi", "ar"]
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        table = nearby.write_table(Path(tmp), directory, languages, Path(tmp) / "cache")
        made = time.perf_counter() - start
        shipped = table.read_bytes()
        services = json.loads(shipped)["services"]
    us = nearby.places_table(["US"], all_detailed=True)
    every_county = json.dumps({"places": us, "services": services}, ensure_ascii=False,
                              separators=(",", ":")).encode()

    def kb(payload: bytes) -> str:
        packed = len(gzip.compress(payload, 9)) / 1024
        return f"{len(payload) / 1024:7.1f} KB, gzip {packed:5.1f} KB"

    print(f"table, shipped places ({len(json.loads(shipped)['places'])} places): {kb(shipped)}"
          f"  (made in {made:.1f} s without cache)")
    print(f"table, every US county ({len(us)} places):   {kb(every_county)}")
    for code in ("90012", "CF10 1EP"):
        first, again = _lookup_ms(site, code)
        print(f"lookup {code!r} in Chromium, CPU x4: first {first:.0f} ms (fetch and read "
              f"the table), then {again:.1f} ms")


def _lookup_ms(site: Path, code: str) -> tuple[float, float]:
    """Milliseconds from submitting ``code`` to the answer shown, first and median of 20."""
    import functools
    import http.server
    import statistics
    import threading

    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    timed = """code => new Promise(done => {
        const status = document.querySelector('[data-haven-nearby-status]');
        const box = document.querySelector('[data-haven-nearby]');
        const loading = box.getAttribute('data-s-loading');
        const input = document.querySelector('#haven-nearby-input');
        status.textContent = '';
        const start = performance.now();
        const seen = new MutationObserver(() => {
          if (status.textContent && status.textContent !== loading) {
            seen.disconnect(); done(performance.now() - start); } });
        seen.observe(status, {childList: true, characterData: true, subtree: true});
        input.value = code;
        input.form.requestSubmit(); })"""
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                                 args=["--headless=new", "--no-sandbox"])
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/find-support/")
            cdp = page.context.new_cdp_session(page)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
            first = page.evaluate(timed, code)
            again = statistics.median(page.evaluate(timed, code) for _ in range(20))
            browser.close()
    finally:
        server.shutdown()
    return first, again


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="what", required=True)
    validate = sub.add_parser("validate", help="validation throughput")
    validate.add_argument("--records", type=int, nargs="+", default=[1000, 10000])
    validate.add_argument("--languages", type=int, default=5)
    validate.add_argument("--shared", action="store_true",
                          help="every record also lists one national hotline")
    site = sub.add_parser("site", help="full site build time, memory and size")
    site.add_argument("--records", type=int, nargs="+", default=[500, 1000, 2000])
    site.add_argument("--jobs", type=int, default=0, help="build processes (0: one per core)")
    serve = sub.add_parser("serve", help="`mkdocs serve --dirty`: time until an edit shows")
    serve.add_argument("--records", type=int, nargs="+", default=[1000])
    near = sub.add_parser("nearby", help="ZIP code / postcode table size and lookup time")
    near.add_argument("--site", type=Path, default=REPO / "site", help="a built site")
    args = parser.parse_args()
    if args.what == "validate":
        bench_validate(args.records, args.languages, args.shared)
    elif args.what == "site":
        bench_site(args.records, args.jobs or None)  # type: ignore[arg-type]
    elif args.what == "serve":
        bench_serve(args.records)
    elif args.what == "nearby":
        bench_nearby(args.site)


if __name__ == "__main__":
    main()
