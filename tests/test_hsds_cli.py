"""`hanaro hsds import PATH` and `hanaro hsds export DIR` end to end, and the progress bar."""

from __future__ import annotations

import io
import json

from graph.needs import load_need_seed
from hsds.documents import HSDS_DIR
from server.progress import ProgressBar
from tests.support.cli import run
from tests.support.hsds import check_one

EXAMPLES = HSDS_DIR / "examples"


def test_import_then_export_on_the_command_line(tmp_path):
    data = str(tmp_path / "data")
    first = run("hsds", "import", str(EXAMPLES / "organization_full.json"), "--data-dir", data)
    assert first.returncode == 0, first.stderr
    assert "imported: 1 organization created, 1 service created, 0 rejected" in first.stdout
    assert "default region 50" in first.stderr  # the examples name no Korean place
    again = run("hsds", "import", str(EXAMPLES / "service_full.json"), "--data-dir", data)
    assert again.returncode == 0, again.stderr
    assert "1 organization unchanged, 1 service unchanged, 0 rejected" in again.stdout

    bad = tmp_path / "bad.ndjson"
    service = json.loads((EXAMPLES / "service_full.json").read_text())
    bad.write_text(json.dumps({**service, "status": "open"}) + "\n")
    refused = run("hsds", "import", str(bad), "--data-dir", data)
    assert refused.returncode == 1
    assert f"rejected: {bad}:1: service {service['id']}: /status:" in refused.stderr

    out = tmp_path / "out"
    export = run("hsds", "export", str(out), "--data-dir", data)
    assert export.returncode == 0, export.stderr
    terms = len(load_need_seed()) + 1  # every need, and the term the example brought
    assert f"exported 1 organizations, 2 taxonomies, {terms} taxonomy_terms" in export.stdout
    written = sorted(p.relative_to(out).parts[0] for p in out.rglob("*.json"))
    assert written.count("organizations") == 1 and written.count("taxonomy_terms") == terms
    kinds = {"organizations": "organization", "taxonomies": "taxonomy",
             "taxonomy_terms": "taxonomy_term"}  # fmt: skip
    for path in out.rglob("*.json"):
        check_one(kinds[path.parent.name], json.loads(path.read_text()))
    organization = json.loads(next((out / "organizations").glob("*.json")).read_text())
    assert organization["services"][0]["id"] == service["id"]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_draws_on_a_terminal_only():
    screen = Terminal()
    bar = ProgressBar("importing", stream=screen, min_total=10, width=10)
    for done in range(1, 41):
        bar.update(done, 40)
    bar.close()
    assert screen.getvalue().endswith("\rimporting [##########] 40/40 (100%)\n")
    piped = io.StringIO()
    quiet = ProgressBar("importing", stream=piped, min_total=10)
    quiet.update(40, 40)
    quiet.close()
    assert piped.getvalue() == ""
    short = Terminal()
    ProgressBar("importing", stream=short, min_total=10).update(3, 3)
    assert short.getvalue() == ""
