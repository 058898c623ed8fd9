"""Benchmark Haven at scale and print figures (never asserted: see tests for behaviour).

    .venv/bin/python scripts/benchmark.py scale --records 2000 5000 [15000]   # every budget
    .venv/bin/python scripts/benchmark.py validate --records 10000 [--shared]
    .venv/bin/python scripts/benchmark.py site --records 500 1000 2000
    .venv/bin/python scripts/benchmark.py serve --records 1000
    .venv/bin/python scripts/benchmark.py nearby [--site site]

`scale` measures each budget of a national guide (issue 17) on the realistic synthetic
directory (haven.synthetic): validation, a cold full build, the same build split by
language and merged, the published size, search bytes per query in every language, an
edit while serving and a first visit. The other commands are the earlier, narrower
measurements, kept for comparison with the README's older tables.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import math
import resource
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
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
                                  LANGUAGES[:languages], shared, realistic=False)
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


@contextlib.contextmanager
def _chromium_on(site: Path) -> Iterator[tuple[Any, str]]:
    """Debian's Chromium and a quiet local server of ``site``: (browser, base address)."""
    import functools
    import http.server
    import threading

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
            yield browser, f"http://127.0.0.1:{server.server_address[1]}/"
            browser.close()
    finally:
        server.shutdown()


def _first_visit_gzip(site: Path, path: str) -> int:
    """Gzip bytes of a first visit, measured in Chromium (0 when Chromium is missing)."""
    from haven.measure import first_visit, total_gzip

    if not Path("/usr/bin/chromium").exists():
        return 0
    with _chromium_on(site) as (browser, base):
        return total_gzip(first_visit(browser.new_page(), base + path))


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
            root = make_directory(out / "directory", REPO / "directory", count,
                                  realistic=False)
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
        before, marker = _edit_marker(record)
        record.write_text(record.read_text(encoding="utf-8").replace(before, marker))
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
            root = make_directory(out / "directory", REPO / "directory", count,
                                  realistic=False)
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
    import statistics

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
    with _chromium_on(site) as (browser, base):
        page = browser.new_page()
        page.goto(base + "find-support/")
        cdp = page.context.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
        first = page.evaluate(timed, code)
        again = statistics.median(page.evaluate(timed, code) for _ in range(20))
    return first, again


# --- scale: every budget of a national guide (issue 17) -----------------------------------

class TreeMemory:
    """Peak resident memory of a process and all its descendants, sampled from /proc every
    quarter second: the largest single process, and all of them together."""

    def __init__(self, pid: int) -> None:
        import threading

        self.pid, self.largest, self.together = pid, 0, 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _tree(self) -> list[int]:
        parents: dict[int, int] = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(stat.parent.name)] = int(fields[1])
        tree, todo = [self.pid], [self.pid]
        while todo:
            parent = todo.pop()
            children = [p for p, pp in parents.items() if pp == parent]
            tree += children
            todo += children
        return tree

    def _sample(self) -> None:
        while not self._done.wait(0.25):
            sizes = []
            for pid in self._tree():
                try:
                    status = Path(f"/proc/{pid}/status").read_text()
                except OSError:
                    continue
                rss = [line for line in status.splitlines() if line.startswith("VmRSS:")]
                sizes.append(int(rss[0].split()[1]) if rss else 0)
            self.largest = max(self.largest, *sizes, 0)
            self.together = max(self.together, sum(sizes))

    def stop(self) -> tuple[float, float]:
        """(largest process, all together) in MB."""
        self._done.set()
        self._thread.join()
        return self.largest / 1024, self.together / 1024


def _measured(command: list[str]) -> tuple[float, float, float, str]:
    """Run a command: (seconds, largest process MB, all processes MB, standard output)."""
    import os
    import subprocess

    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, env=env)
    memory = TreeMemory(child.pid)
    out, err = child.communicate()
    seconds = time.perf_counter() - start
    largest, together = memory.stop()
    if child.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{err[-3000:]}")
    return seconds, largest, together, out


def _haven(*args: str) -> list[str]:
    import sys

    return [sys.executable, "-m", "haven.cli", *args]


def _validate_seconds(root: Path) -> tuple[float, float, float]:
    """Validation alone, in a child: (seconds inside it, largest MB, all processes MB)."""
    import sys

    code = ("import time\nfrom pathlib import Path\nfrom haven.records import load_directory\n"
            f"t = time.perf_counter()\nload_directory(Path({str(root)!r})).require()\n"
            "print(time.perf_counter() - t)")
    _, largest, together, out = _measured([sys.executable, "-c", code])
    return float(out.strip().splitlines()[-1]), largest, together


def _same_tree(a: Path, b: Path) -> bool:
    import hashlib

    def digest(root: Path) -> dict[str, str]:
        return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in root.rglob("*") if p.is_file()}
    return digest(a) == digest(b)


def _sizes(site: Path) -> dict[str, float]:
    """Published bytes, in MB by part, and the mean service page in KB."""
    parts = {"pamphlets": site / "pamphlets", "search": site / "pagefind",
             "open data": site / "data"}
    sizes = {name: _tree_bytes(folder) / 1e6 for name, folder in parts.items()}
    sizes["site"] = _tree_bytes(site) / 1e6
    sizes["pages"] = sizes["site"] - sum(sizes[name] for name in parts)
    service_pages = [p for p in site.glob("**/services/*/index.html")]
    sizes["service page KB"] = (sum(p.stat().st_size for p in service_pages)
                                / max(1, len(service_pages)) / 1024)
    sizes["pages count"] = sum(1 for _ in site.rglob("index.html"))
    return sizes


QUERIES = {"en": "support", "es": "apoyo", "zh": "支持", "vi": "hỗ trợ", "ar": "دعم"}
"""A word every synthetic directory uses in each language: a query with many results."""


def _search_bytes(site: Path) -> dict[str, tuple[int, int]]:
    """Per language: (bytes of Pagefind files fetched for one query, files fetched), in
    Chromium, from opening the search page to the results shown."""
    fetched: dict[str, tuple[int, int]] = {}
    with _chromium_on(site) as (browser, base):
        for lang, words in QUERIES.items():
            page = browser.new_page()
            sizes: list[int] = []
            page.on("response", lambda r, sizes=sizes: sizes.append(len(r.body()))
                    if "/pagefind/" in r.url and r.ok else None)
            page.goto(base + ("" if lang == "en" else f"{lang}/") + "search/")
            page.fill("#haven-search-input", words)
            page.press("#haven-search-input", "Enter")
            page.wait_for_selector(".haven-search__result", timeout=60_000)
            page.wait_for_load_state("networkidle")
            fetched[lang] = (sum(sizes), len(sizes))
            page.close()
    return fetched


def _edit_marker(record: Path) -> tuple[str, str]:
    """The record's English name as written in its file, and an edited one."""
    name = yaml.safe_load(record.read_text(encoding="utf-8"))["name"]["en"]
    return name, f"{name} edited at {time.time():.0f}"


def bench_scale(counts: list[int], serve: bool, keep: Path | None) -> None:
    """Every budget of issue 17 for each size, printed as a table once all are measured
    (and each size's figures as soon as they are known)."""
    import sys

    sys.path.insert(0, str(REPO))
    from tests.site.building import write_config

    results: dict[int, dict[str, str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for count in counts:
            out = (keep or Path(tmp)) / f"s{count}"
            row = results[count] = {}
            root = make_directory(out / "directory", REPO / "directory", count)
            seconds, largest, together = _validate_seconds(root)
            row["validate s / peak MB"] = f"{seconds:.1f} / {together:.0f}"
            shared = make_directory(out / "shared", REPO / "directory", count,
                                    realistic=False, shared=True)
            seconds, _, together = _validate_seconds(shared)
            row["validate, all one hotline s / MB"] = f"{seconds:.1f} / {together:.0f}"
            shutil.rmtree(shared)
            config = write_config(out, directory=root)
            seconds, largest, together, _ = _measured(
                _haven("build", "-f", str(config), "-d", str(out / "site")))
            row["cold build s"] = f"{seconds:.0f}"
            row["build peak MB: largest / all"] = f"{largest:.0f} / {together:.0f}"
            row["_cold"] = f"{seconds}"
            split = write_config(out / "split", directory=root)
            languages = ("en", "es", "zh", "vi", "ar")
            each = []
            for lang in languages:
                seconds, *_ = _measured(_haven("build", "-f", str(split), "--language", lang,
                                               "--site-dir", str(out / "parts" / lang)))
                each.append(seconds)
            merge, *_ = _measured(_haven("merge", *(str(out / "parts" / x) for x in languages),
                                         "-f", str(split), "-d", str(out / "split" / "site")))
            row["split: slowest language + merge s"] = f"{max(each):.0f} + {merge:.0f}"
            row["split identical to full build"] = str(_same_tree(out / "site",
                                                                  out / "split" / "site"))
            shutil.rmtree(out / "parts")
            shutil.rmtree(out / "split" / "site")
            sizes = _sizes(out / "site")
            row["pages"] = f"{sizes['pages count']:,.0f}"
            row["site MB (pages / search / data / pamphlets)"] = (
                f"{sizes['site']:.0f} ({sizes['pages']:.0f} / {sizes['search']:.0f} / "
                f"{sizes['open data']:.0f} / {sizes['pamphlets']:.0f})")
            row["service page KB"] = f"{sizes['service page KB']:.1f}"
            for lang, (size, files) in _search_bytes(out / "site").items():
                row[f"search KB, files ({lang})"] = f"{size / 1024:.0f}, {files}"
            row["first visit gzip KB"] = (
                f"{_first_visit_gzip(out / 'site', 'services/service-00000/') / 1024:.1f}")
            if serve:
                record = root / "services" / "service-00007.yaml"
                first, edit = _serve_edit(config, record, "service-00007")
                row["serve: first page s / edit shown s"] = f"{first:.0f} / {edit:.1f}"
            print(f"{count} records:", {k: v for k, v in row.items()
                                        if not k.startswith("_")}, flush=True)
            if not keep:
                shutil.rmtree(out)
    sizes_ = list(results)
    for before, after in itertools.pairwise(sizes_):
        ratio = float(results[after]["_cold"]) / float(results[before]["_cold"])
        results[after]["cold build ×, per doubling"] = (
            f"{ratio ** (1 / math.log2(after / before)):.2f}")
    measures = [k for k in {k: 0 for r in results.values() for k in r} if not k.startswith("_")]
    width = max(len(m) for m in measures)
    print(f"\n| {'measure':<{width}} | " + " | ".join(f"{c:>12,}" for c in sizes_) + " |")
    print(f"| {'-' * width} | " + " | ".join("-" * 11 + ":" for _ in sizes_) + " |")
    for m in measures:
        print(f"| {m:<{width}} | " + " | ".join(f"{results[c].get(m, ''):>12}"
                                               for c in sizes_) + " |")


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
    near = sub.add_parser("nearby", help="ZIP code / postcode table size and lookup time")
    near.add_argument("--site", type=Path, default=REPO / "site", help="a built site")
    scale = sub.add_parser("scale", help="every budget of a national guide (issue 17)")
    scale.add_argument("--records", type=int, nargs="+", default=[2000, 5000])
    scale.add_argument("--serve", action="store_true", help="also time an edit while serving")
    scale.add_argument("--keep", type=Path, help="keep each size's directory and site here")
    serve = sub.add_parser("serve", help="`mkdocs serve --dirty`: time until an edit shows")
    serve.add_argument("--records", type=int, nargs="+", default=[1000])
    args = parser.parse_args()
    if args.what == "validate":
        bench_validate(args.records, args.languages, args.shared)
    elif args.what == "site":
        bench_site(args.records, args.jobs or None)  # type: ignore[arg-type]
    elif args.what == "serve":
        bench_serve(args.records)
    elif args.what == "nearby":
        bench_nearby(args.site)
    elif args.what == "scale":
        bench_scale(args.records, args.serve, args.keep)


if __name__ == "__main__":
    main()
