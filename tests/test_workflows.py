"""The contributor side: GitHub workflows and forms, record templates and pre-commit hooks.

Workflows are linted with actionlint (shipped as a wheel in the test extras) and checked for
what actionlint does not enforce: actions pinned to commit SHAs, least-privilege permissions,
and nothing published unless every check passed.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from haven.records import Severity, load_directory

from .conftest import DIRECTORY, REPO, TODAY

GITHUB = REPO / ".github"
WORKFLOWS = {p.name: p for p in sorted((GITHUB / "workflows").glob("*.yml"))}
ISSUE_FORMS = sorted(p for p in (GITHUB / "ISSUE_TEMPLATE").glob("*.yml")
                     if p.name != "config.yml")
TEMPLATES = DIRECTORY / "templates"
KINDS = {"service": "services", "right": "rights", "reporting": "reporting"}
IN_CI = os.environ.get("CI") == "true"
BIN = Path(sys.executable).parent

USES = re.compile(r"^\s*(?:-\s+)?uses:\s*(\S+)(.*)$")
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")
RELEASE_COMMENT = re.compile(r"^\s+# v\d+\.\d+\.\d+\s*$")


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.name}: the top level must be a mapping"
    return data


def triggers(workflow: dict[str, Any]) -> dict[str, Any]:
    """The `on:` key, which YAML 1.1 (PyYAML) reads as the boolean True."""
    on = workflow.get("on", workflow.get(True))
    return {on: None} if isinstance(on, str) else dict(on or {})


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return list(job.get("steps") or [])


def index_of(job: dict[str, Any], needle: str) -> int:
    found = [i for i, step in enumerate(steps(job)) if needle in str(step.get("run", ""))]
    assert len(found) == 1, f"expected exactly one step running `{needle}`, found {len(found)}"
    return found[0]


def index_of_action(job: dict[str, Any], action: str) -> int:
    found = [i for i, step in enumerate(steps(job))
             if str(step.get("uses", "")).startswith(action + "@")]
    assert len(found) == 1, f"expected exactly one step using {action}, found {len(found)}"
    return found[0]


def index_of_tests(job: dict[str, Any]) -> int:
    """The step running the README's test command (which runs every test)."""
    found = [i for i, step in enumerate(steps(job))
             if str(step.get("run", "")).strip() == "bash scripts/setup.sh test"]
    assert len(found) == 1, "expected exactly one step running `bash scripts/setup.sh test`"
    return found[0]


# --- Workflows -----------------------------------------------------------------------------

def test_both_workflows_are_shipped() -> None:
    assert {"pull-request.yml", "publish.yml"} <= set(WORKFLOWS)


def actionlint_binary() -> Path | None:
    beside = BIN / "actionlint"
    if beside.is_file():
        return beside
    found = shutil.which("actionlint")
    return Path(found) if found else None


def test_actionlint_finds_nothing() -> None:
    binary = actionlint_binary()
    if binary is None:
        if IN_CI:
            pytest.fail("actionlint is not installed (it comes with the [test] extras)")
        pytest.skip("actionlint is not installed; `bash scripts/setup.sh test` installs it")
    result = subprocess.run([str(binary), "-no-color", *map(str, WORKFLOWS.values())],
                            cwd=REPO, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("name", sorted(WORKFLOWS))
def test_every_action_is_pinned_to_a_commit(name: str) -> None:
    """A tag can be moved to other code; a full commit SHA cannot. The comment names it."""
    path = WORKFLOWS[name]
    lines = [m for line in path.read_text(encoding="utf-8").splitlines()
             if (m := USES.match(line))]
    for match in lines:
        action, rest = match.group(1).strip("'\""), match.group(2)
        if action.startswith("./"):
            continue  # an action in this repository: pinned by the checkout itself
        assert PINNED.match(action), f"{name}: `{action}` is not pinned to a 40-hex commit SHA"
        assert RELEASE_COMMENT.match(rest), f"{name}: `{action}` needs a `# vX.Y.Z` comment"
    parsed = [step["uses"] for job in load(path)["jobs"].values() for step in steps(job)
              if "uses" in step]
    parsed += [job["uses"] for job in load(path)["jobs"].values() if "uses" in job]
    assert len(parsed) == len(lines), f"{name}: write every `uses:` on its own line"


@pytest.mark.parametrize("name", sorted(WORKFLOWS))
def test_permissions_are_least_privilege(name: str) -> None:
    workflow = load(WORKFLOWS[name])
    assert "permissions" in workflow, f"{name}: set top-level permissions explicitly"
    allowed_writes = {("publish.yml", "deploy"): {"pages", "id-token"}}
    for job_name, job in workflow["jobs"].items():
        permissions = job.get("permissions", workflow["permissions"])
        assert isinstance(permissions, dict), f"{name}/{job_name}: no read-all/write-all"
        writes = {scope for scope, level in permissions.items() if level == "write"}
        assert writes <= allowed_writes.get((name, job_name), set()), \
            f"{name}/{job_name} may not write {sorted(writes)}"


def test_pull_request_workflow() -> None:
    workflow = load(WORKFLOWS["pull-request.yml"])
    on = triggers(workflow)
    assert "pull_request" in on
    assert "pull_request_target" not in on, "fork pull requests must not get secrets"
    assert workflow["permissions"] == {"contents": "read"}
    (job,) = workflow["jobs"].values()
    assert steps(job)[index_of_action(job, "actions/checkout")]["with"][
        "persist-credentials"] is False
    python = steps(job)[index_of_action(job, "actions/setup-python")]
    assert str(python["with"]["python-version"]) == "3.11"
    validate = index_of(job, "haven validate --format github")
    build = index_of(job, "haven build --strict")
    tests = index_of_tests(job)
    assert validate < build < tests, "validate first: its annotations must survive a failure"
    report = steps(job)[index_of(job, "haven report translations --format markdown")]
    assert "haven report stale --format markdown" in report["run"]
    assert "$GITHUB_STEP_SUMMARY" in report["run"]
    assert "always()" in str(report.get("if", ""))


def test_publish_workflow_publishes_only_what_passed() -> None:
    workflow = load(WORKFLOWS["publish.yml"])
    on = triggers(workflow)
    assert on["push"] == {"branches": ["main"]}
    assert "workflow_dispatch" in on
    assert "pull_request" not in on and "pull_request_target" not in on
    assert workflow["permissions"] == {}
    assert workflow["concurrency"]["group"] == "pages"

    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert build["permissions"] == {"contents": "read"}
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["needs"] in ("build", ["build"])
    assert deploy["environment"]["name"] == "github-pages"
    assert "steps.deployment.outputs.page_url" in deploy["environment"]["url"]
    (deploy_step,) = steps(deploy)
    assert deploy_step["id"] == "deployment"
    assert deploy_step["uses"].startswith("actions/deploy-pages@")

    validate = index_of(build, "haven validate")
    strict = index_of(build, "haven build --strict")
    tests = index_of_tests(build)
    upload = index_of_action(build, "actions/upload-pages-artifact")
    assert validate < strict < tests < upload
    assert steps(build)[upload]["with"]["path"] == "site"
    for job in (build, deploy):
        for step in steps(job):
            assert not step.get("continue-on-error"), f"{step.get('name')}: must stop the job"
            assert "always()" not in str(step.get("if", "")), \
                f"{step.get('name')}: must not run after a failed step"
    assert "always()" not in str(deploy.get("if", ""))


def test_a_large_directory_can_be_built_one_language_per_runner_and_merged() -> None:
    """HAVEN_SPLIT_BUILD=true: a matrix of the site's languages, each built on its own
    runner, merged by the build job, which still tests before it uploads; off, the build
    job builds everything itself. A failed language publishes nothing."""
    jobs = load(WORKFLOWS["publish.yml"])["jobs"]
    languages, language, build = jobs["languages"], jobs["language"], jobs["build"]
    assert "HAVEN_SPLIT_BUILD == 'true'" in languages["if"]
    assert "haven languages --json" in steps(languages)[-1]["run"]
    assert "needs.languages.outputs.codes" in str(language["strategy"]["matrix"]["language"])
    built = steps(language)[index_of(language, "haven build --strict --language")]
    assert "matrix.language" in built["run"]
    assert index_of_action(language, "actions/upload-artifact") > index_of(language, "--language")
    assert build["needs"] in ("language", ["language"])
    assert "needs.language.result == 'success'" in build["if"]
    assert "'failure'" not in build["if"] and "always()" not in build["if"]
    merge = index_of(build, "haven merge parts/*")
    assert "== 'true'" in steps(build)[merge]["if"]
    assert "!= 'true'" in steps(build)[index_of(build, "haven build --strict")]["if"]
    assert index_of_action(build, "actions/download-artifact") < merge < index_of_tests(build)


# --- Issue forms and the pull-request template ----------------------------------------------

def test_blank_issues_are_disabled() -> None:
    assert load(GITHUB / "ISSUE_TEMPLATE" / "config.yml")["blank_issues_enabled"] is False


@pytest.mark.parametrize("path", ISSUE_FORMS, ids=[p.stem for p in ISSUE_FORMS])
def test_issue_form_is_well_formed(path: Path) -> None:
    form = load(path)
    for key in ("name", "description", "body"):
        assert form.get(key), f"{path.name}: `{key}` is required"
    ids = []
    for item in form["body"]:
        assert item["type"] in {"markdown", "input", "textarea", "dropdown", "checkboxes"}
        if item["type"] == "markdown":
            assert item["attributes"]["value"].strip()
            continue
        assert item["attributes"]["label"].strip()
        ids.append(item["id"])
        if item["type"] == "dropdown":
            assert item["attributes"]["options"]
    assert len(ids) == len(set(ids)), f"{path.name}: ids must be unique"
    warning = " ".join(i["attributes"]["value"] for i in form["body"] if i["type"] == "markdown")
    assert "public" in warning and "personal details" in warning


def test_the_two_issue_forms() -> None:
    forms = {load(p)["name"]: load(p) for p in ISSUE_FORMS}
    assert set(forms) == {"Suggest a correction to an entry",
                          "Report a safety or accessibility problem"}
    correction = {i.get("id") for i in forms["Suggest a correction to an entry"]["body"]}
    assert {"entry", "wrong", "correct", "source", "from-organization"} <= correction
    safety = {i.get("id") for i in forms["Report a safety or accessibility problem"]["body"]}
    assert {"page", "what-happened", "setup"} <= safety


def test_pull_request_template_has_the_checklist() -> None:
    text = (GITHUB / "PULL_REQUEST_TEMPLATE.md").read_text(encoding="utf-8")
    items = [line for line in text.splitlines() if line.startswith("- [ ]")]
    for needle in ("source:", "verification", "Languages", "confidential_location",
                   "haven validate"):
        assert any(needle in item for item in items), f"no checklist item about {needle}"


# --- Record templates ------------------------------------------------------------------------

def fill(kind: str, record_id: str) -> str:
    """What `haven new` does: plain str.replace, so other braces are left alone."""
    text = (TEMPLATES / f"{kind}.yaml").read_text(encoding="utf-8")
    return text.replace("{id}", record_id).replace("{today}", TODAY.isoformat())


def place(tmp_path: Path, kind: str, text: str) -> tuple[Path, Path]:
    root = tmp_path / "directory"
    shutil.copytree(DIRECTORY, root)
    target = root / KINDS[kind] / f"new-{kind}-entry.yaml"
    target.write_text(text, encoding="utf-8")
    return root, target


def test_there_is_a_template_for_each_kind() -> None:
    assert {p.stem for p in TEMPLATES.glob("*.yaml")} == set(KINDS)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_template_has_the_schema_line_and_placeholders(kind: str) -> None:
    text = (TEMPLATES / f"{kind}.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[0] == f"# yaml-language-server: $schema=../schema/{kind}.schema.json"
    assert 'id: "{id}"' in text
    assert 'date: "{today}"' in text


PLACEHOLDER_WARNINGS = ("is a placeholder — put the organization's real address here",
                        "this text is still the template's placeholder — write the real text")


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_filled_template_validates_with_placeholder_warnings(tmp_path: Path, kind: str) -> None:
    """A new record loads (no error), and every placeholder left in it is pointed out."""
    root, target = place(tmp_path, kind, fill(kind, f"new-{kind}-entry"))
    validation = load_directory(root, today=TODAY)
    assert validation.problems.errors == []
    own = [p for p in validation.problems if p.path == target]
    assert {p.field for p in own} >= {"source", "title.en" if kind != "service" else "name.en"}
    for problem in own:
        assert problem.severity is Severity.WARNING
        assert problem.text().endswith(PLACEHOLDER_WARNINGS), problem.text()
    directory = validation.require()
    records = {"service": directory.services, "right": directory.rights,
               "reporting": directory.reporting}[kind]
    assert f"new-{kind}-entry" in {r.id for r in records}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_replacing_the_placeholders_leaves_no_warning(tmp_path: Path, kind: str) -> None:
    """The warnings are about the placeholders and nothing else in the template."""
    text = fill(kind, f"new-{kind}-entry").replace('"REPLACE: ', '"')
    root, target = place(tmp_path, kind, text.replace("https://example.org",
                                                      "https://www.crisis-help.test"))
    validation = load_directory(root, today=TODAY)
    assert [p.text() for p in validation.problems if p.path == target] == []


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_template_cannot_publish_a_made_up_contact(kind: str) -> None:
    """Placeholders that would reach a real person (phones, e-mail, address) stay commented
    out, and the safe choice is the default for every yes/no field."""
    data = yaml.safe_load(fill(kind, f"new-{kind}-entry"))
    assert not {"phones", "email", "address", "url", "chat_url"} & set(data)
    assert data["source"] == "https://example.org"
    assert data["verification"]["method"] == "desk-review"
    if kind == "service":
        assert data["confidential_location"] is True
        assert data["anonymous_contact"] is False
        assert "url" not in data["organization"]
    if kind == "reporting":
        assert data["anonymous"] is False


@pytest.mark.parametrize("kind", ["service", "reporting"])
def test_uncommented_phone_placeholder_fails(tmp_path: Path, kind: str) -> None:
    """Someone who uncomments the example phone line but forgets the number is stopped."""
    lines, out, inside = fill(kind, f"new-{kind}-entry").splitlines(), [], False
    for line in lines:
        inside = line.startswith("# phones:") or (inside and line.startswith("#"))
        out.append(line.removeprefix("# ") if inside else line)
    root, target = place(tmp_path, kind, "\n".join(out) + "\n")
    validation = load_directory(root, today=TODAY)
    assert any(p.path == target and p.field == "phones[0].number"
               for p in validation.problems.errors)


def schema_fields(kind: str) -> set[str]:
    schema = json.loads((DIRECTORY / "schema" / f"{kind}.schema.json").read_text())
    common = json.loads((DIRECTORY / "schema" / "common.schema.json").read_text())["$defs"]
    fields = set(schema["properties"])
    for prop in schema["properties"].values():
        fields |= set(prop.get("properties", {}))
    fields |= set(common["verification"]["properties"])
    return fields


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_template_shows_every_field(kind: str) -> None:
    text = (TEMPLATES / f"{kind}.yaml").read_text(encoding="utf-8")
    for field in schema_fields(kind):
        assert re.search(rf"^[#\s]*(- )?{field}:", text, re.MULTILINE), \
            f"templates/{kind}.yaml does not show `{field}` (commented out if optional)"


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_contributing_explains_every_field(kind: str) -> None:
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    missing = sorted(f for f in schema_fields(kind) if f"`{f}`" not in text)
    assert missing == [], f"CONTRIBUTING.md does not explain the {kind} fields {missing}"


# --- pre-commit hooks ------------------------------------------------------------------------

def hooks() -> list[dict[str, Any]]:
    config = load(REPO / ".pre-commit-config.yaml")
    for repo in config["repos"]:
        assert repo["repo"] == "local", "remote hook repositories need network at install time"
    return [hook for repo in config["repos"] for hook in repo["hooks"]]


def hook_command(hook: dict[str, Any]) -> list[str]:
    """The command pre-commit runs, with .venv/bin/ pointing at this interpreter's bin/."""
    entry = [part.replace(".venv/bin/", f"{BIN}/") for part in shlex.split(hook["entry"])]
    return entry + list(hook.get("args", []))


def repository_files() -> list[str]:
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("needs a git checkout to list the repository's files")
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"],
                            cwd=REPO, capture_output=True, text=True, check=True).stdout
    return [name for name in listed.splitlines() if (REPO / name).is_file()]


def matching(hook: dict[str, Any], files: list[str]) -> list[str]:
    include = re.compile(hook.get("files", ""))
    exclude = re.compile(hook["exclude"]) if "exclude" in hook else None
    chosen = [f for f in files if include.search(f) and not (exclude and exclude.search(f))]
    if "yaml" in hook.get("types_or", hook.get("types", [])):
        chosen = [f for f in chosen if f.endswith((".yaml", ".yml"))]
    return chosen


def test_hooks_are_local_and_use_the_project_environment() -> None:
    ids = {hook["id"] for hook in hooks()}
    assert {"haven-validate", "check-json-schemas", "check-yaml"} <= ids
    for hook in hooks():
        assert hook["language"] == "system"
        assert hook["entry"].startswith(".venv/bin/")


def test_each_hook_passes_on_the_repository() -> None:
    files = repository_files()
    for hook in hooks():
        targets = [] if hook.get("pass_filenames", True) is False else matching(hook, files)
        if hook.get("pass_filenames", True) is not False:
            assert targets, f"{hook['id']} matches no file"
        result = subprocess.run(hook_command(hook) + targets, cwd=REPO, capture_output=True,
                                text=True, timeout=300, check=False)
        assert result.returncode == 0, f"{hook['id']}:\n{result.stdout}{result.stderr}"


def test_hooks_catch_broken_files(tmp_path: Path) -> None:
    by_id = {hook["id"]: hook for hook in hooks()}
    bad_schema = tmp_path / "bad.schema.json"
    bad_schema.write_text('{"type": 12}')
    bad_yaml = tmp_path / "bad.yaml"
    bad_yaml.write_text("name: [unclosed\n")
    for hook_id, target in (("check-json-schemas", bad_schema), ("check-yaml", bad_yaml)):
        result = subprocess.run([*hook_command(by_id[hook_id]), str(target)], cwd=REPO,
                                capture_output=True, text=True, timeout=60, check=False)
        assert result.returncode == 1, f"{hook_id} accepted {target.name}"
        assert target.name in result.stdout
