"""The build path without building a site: configuration, languages, addresses, the
language switcher, generated pages and prose pages, and how the code is layered. These
run in milliseconds; tests/site/ builds real sites only where a behaviour needs one."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import yaml
from haven.project import Languages, Project, languages_of
from haven.records import Directory
from haven.site.generated import generated_file, language_pages, page_source
from haven.site.prose import prepared
from haven.urls import alternates, page_url, relative
from mkdocs.config import load_config

from .conftest import DIRECTORY, REPO

PACKAGE = REPO / "scripts" / "haven"
FIVE = Languages(("en", "es", "zh", "vi", "ar"), "en",
                 {"en": "English", "es": "Español", "zh": "中文", "vi": "Tiếng Việt",
                  "ar": "العربية"}, ("en", "es", "zh", "vi", "ar"))


def project_config(tmp_path: Path, *, site_url: str | None = None,
                   unbuilt: tuple[str, ...] = ()) -> Path:
    """The project's mkdocs.yml, pointed at the shipped inputs, with languages left unbuilt
    and site_url written as given (raw YAML, so that a tag such as !ENV stays a tag)."""
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    config["docs_dir"] = str(REPO / "content")
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "haven" in plugin:
            plugin["haven"].update(directory=str(DIRECTORY), work=str(tmp_path / "work"))
        if isinstance(plugin, dict) and "i18n" in plugin:
            for lang in plugin["i18n"]["languages"]:
                lang["build"] = lang["locale"] not in unbuilt
    text = yaml.safe_dump(config, allow_unicode=True)
    if site_url is not None:
        text = f"site_url: {site_url}\n{text}"
    path = tmp_path / "mkdocs.yml"
    path.write_text(text, encoding="utf-8")
    return path


# One reading of the configuration -----------------------------------------------------

def test_a_language_not_built_is_nowhere(tmp_path: Path) -> None:
    languages = languages_of(load_config(str(project_config(tmp_path, unbuilt=("vi",)))))
    assert languages.codes == ("en", "es", "zh", "ar")
    assert languages.built == languages.codes and not languages.partial
    links = alternates("services/rainn", "services/rainn/", languages)
    assert [link["lang"] for link in links] == ["en", "es", "zh", "ar"]
    project = Project.load(project_config(tmp_path, unbuilt=("vi",)))
    assert project.languages == languages  # what pamphlets, exports and reports are given


def test_the_public_address_is_read_as_mkdocs_reads_it(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HAVEN_PUBLIC_URL", raising=False)
    monkeypatch.setenv("SITE_URL", "https://guide.example.org/")
    config = project_config(tmp_path, site_url='!ENV [SITE_URL, ""]')
    assert Project.load(config).public_url == "https://guide.example.org/"
    monkeypatch.delenv("SITE_URL")
    assert Project.load(config).public_url == ""


def test_a_build_of_one_language_knows_the_whole_site(tmp_path: Path) -> None:
    from haven.project import load_for_language

    languages = languages_of(load_for_language(project_config(tmp_path), "zh"))
    assert languages.codes == FIVE.codes and languages.default == "en"
    assert languages.built == ("zh",) and languages.partial


@pytest.mark.parametrize("option, value", [("exit_url", "http://example.org/"),
                                           ("exit_url", 'https://x.org/"onmouseover="'),
                                           ("exit_url", "https://x.org/a b"),
                                           ("public_url", "javascript:alert(1)"),
                                           ("directory", "no-such-folder")])
def test_plugin_options_are_checked_when_the_configuration_is_read(option: str,
                                                                  value: str) -> None:
    from haven.site.plugin import HavenPlugin

    errors, _ = HavenPlugin().load_config({option: value}, str(REPO / "mkdocs.yml"))
    assert [key for key, _ in errors] == [option]
    errors, _ = HavenPlugin().load_config({}, str(REPO / "mkdocs.yml"))
    assert errors == []  # the defaults are valid


# Addresses and the language switcher --------------------------------------------------

@pytest.mark.parametrize("path, lang, url", [
    ("index", "en", ""), ("index", "ar", "ar/"), ("services/rainn", "en", "services/rainn/"),
    ("find-support/region/us-ca", "zh", "zh/find-support/region/us-ca/"),
    ("guide/index", "es", "es/guide/")])
def test_every_page_has_one_address_per_language(path: str, lang: str, url: str) -> None:
    assert page_url(path, lang, "en") == url


def test_the_switcher_links_each_language_relative_to_the_page() -> None:
    links = alternates("find-support/region/us", "es/find-support/region/us/", FIVE)
    assert [(link["lang"], link["href"]) for link in links] == [
        ("en", "../../../../find-support/region/us/"), ("es", "./"),
        ("zh", "../../../../zh/find-support/region/us/"),
        ("vi", "../../../../vi/find-support/region/us/"),
        ("ar", "../../../../ar/find-support/region/us/")]
    home = alternates("index", "", FIVE)
    assert [link["href"] for link in home] == ["./", "es/", "zh/", "vi/", "ar/"]
    assert relative("es/", "") == "../"


def test_a_site_of_one_language_has_no_switcher_and_names_are_text() -> None:
    assert alternates("index", "", Languages(("en",), "en", {"en": "English"}, ("en",))) == []
    odd = Languages(("en", "xx"), "en", {"en": "English", "xx": "<b>X</b>"}, ("en", "xx"))
    assert alternates("index", "", odd)[1]["name"] == "&lt;b&gt;X&lt;/b&gt;"


# Generated pages ----------------------------------------------------------------------

def test_each_language_generates_every_page_at_its_address(shipped: Directory,
                                                           tmp_path: Path) -> None:
    config = load_config(str(project_config(tmp_path)))
    config.plugins._current_plugin = "haven"  # what MkDocs sets while a plugin's event runs
    pages = language_pages(shipped, "ar", "en")
    paths = [page.path for page in pages]
    assert len(paths) == len(set(paths))
    assert {f"services/{s.id}" for s in shipped.services} <= set(paths)
    assert {"find-support", "rights", "report", "pamphlets", "search"} <= set(paths)
    page = next(p for p in pages if p.path.startswith("services/"))
    file = generated_file(config, page, page_source(page), "ar", "en")
    assert file.src_uri == f"{page.path}.ar.md"  # as a prose page's: the menu finds it
    assert file.url == f"ar/{page.path}/"
    assert file.dest_uri == f"ar/{page.path}/index.html"
    assert file.content_string.startswith("---\ntitle: ")
    assert "<" not in file.content_string.split("\n---\n", 1)[1]  # the body stays in memory


def test_an_untranslated_prose_page_says_so_in_the_readers_language() -> None:
    shown = prepared("Some text\n<!-- haven:get-help-now -->\n", "es", "en", translated=False,
                     get_help_now=lambda: "<div>help</div>")
    assert 'class="haven-fallback"' in shown and 'lang="en"' in shown
    assert "<div>help</div>" in shown and "haven:get-help-now" not in shown
    own = prepared("Texto\n", "es", "en", translated=True, get_help_now=lambda: "")
    assert own == "Texto\n"


# How the code is layered --------------------------------------------------------------

LAYERS = [
    {"records", "measure", "synthetic", "progress"},
    {"i18n", "bidi", "project"},
    {"urls"},
    {"render"},
    {"pamphlets", "exports", "reports"},
    {"site", "imports"},
    {"cli", "__main__"},
]
"""Each part of the package may import only parts in the layers below it, and itself."""


def _layer(module: str) -> int:
    top = module.split(".")[0]
    return next(n for n, layer in enumerate(LAYERS) if top in layer)


def _imports(path: Path) -> list[str]:
    """The haven modules a module imports (relative imports resolved)."""
    package = path.relative_to(PACKAGE).with_suffix("").parts[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[:len(package) - node.level + 1]
            found.append(".".join([*base, node.module or ""]).strip("."))
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("haven."):
            found.append(node.module.removeprefix("haven."))  # type: ignore[union-attr]
    return [name or "__init__" for name in found]


def test_imports_flow_one_way() -> None:
    upward = []
    for path in PACKAGE.rglob("*.py"):
        module = ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
        if module == "__init__":
            continue
        for imported in _imports(path):
            if imported.split(".")[0] != module.split(".")[0] and imported != "__init__" \
                    and _layer(imported) >= _layer(module):
                upward.append(f"{module} imports {imported}")
    assert upward == []


DOCUMENTED = {
    ("file", "dest_uri"),  # MkDocs lets plugins set where a file is written (on_files)
    ("env", "bytecode_cache"),  # Jinja's option, on MkDocs' environment (on_env)
    ("config", "site_dir"),  # MkDocs' own configuration, set before calling build()
}


def _foreign_attributes() -> set[str]:
    """Attribute names of the other packages' objects Haven is handed: static-i18n's plugin,
    MkDocs' configuration, files, pages and navigation."""
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page
    from mkdocs_static_i18n.plugin import I18n

    names = set(vars(I18n())) | set(MkDocsConfig()._schema_keys)
    for kind in (File, Page, Navigation):
        names |= {name for name in dir(kind) if not name.startswith("__")}
    return names


def test_no_module_writes_another_packages_attributes() -> None:
    """A write to another package's object (static-i18n's current_language, say) breaks
    silently when that package renames it; only documented extension points are used."""
    foreign, writes = _foreign_attributes(), []
    assert {"current_language", "building", "dest_uri", "docs_dir"} <= foreign
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = node.targets if isinstance(node, ast.Assign) else \
                [node.target] if isinstance(node, (ast.AugAssign, ast.AnnAssign)) else []
            for target in targets:
                if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) \
                        and target.value.id not in ("self", "cls") \
                        and target.attr in foreign \
                        and (target.value.id, target.attr) not in DOCUMENTED:
                    writes.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: "
                                  f"{target.value.id}.{target.attr}")
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "setattr":
                writes.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: setattr")
    assert writes == []
