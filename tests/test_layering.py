"""One direction of dependencies: core → manuals → processes → … → demo, no way back up.

Runs ``scripts/deps_graph.py``'s analysis over the project's own imports, and shows on made-up
sources that the analysis catches what it must (an upward import, a cycle hidden in a function).
"""

import importlib.util
from pathlib import Path

import pytest
from django.conf import settings

BASE = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def deps():
    spec = importlib.util.spec_from_file_location("deps_graph", BASE / "scripts" / "deps_graph.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_no_arrow_runs_back_up_and_no_local_import_hides_a_cycle(deps):
    apps, edges, upward, local_imports = deps.analyse()
    assert {"core", "manuals", "processes", "demo"} <= set(apps)
    assert upward == []
    assert local_imports == []
    # The floors the issue names: core knows no app, manuals knows only core.
    assert not [b for (a, b) in edges if a == "core"]
    assert {b for (a, b) in edges if a == "manuals"} <= {"core", "config_settings"}


def test_every_project_app_has_a_layer(deps):
    """An app missing from LAYERS would not be checked at all."""
    layered = {name for layer in deps.LAYERS for name in layer}
    ours = {app for app in settings.INSTALLED_APPS if (BASE / app).is_dir()}
    assert ours and ours <= layered


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


PROJECT = {
    "core/__init__.py": "",
    "core/models.py": "import datetime\n",
    "manuals/__init__.py": "",
    "manuals/models.py": "from core.models import datetime\n",
    "processes/__init__.py": "",
    "processes/models.py": "from manuals.models import datetime\n",
}


def test_an_upward_import_in_manuals_models_is_caught(deps, tmp_path):
    _write(tmp_path, PROJECT)
    _apps, _edges, upward, _local = deps.analyse(tmp_path)
    assert upward == []
    _write(
        tmp_path,
        {"manuals/models.py": "from core.models import datetime\nfrom processes.models import x\n"},
    )
    _apps, edges, upward, _local = deps.analyse(tmp_path)
    assert [(a, b) for a, b, _where in upward] == [("manuals", "processes")]
    assert upward[0][2] == ["manuals/models.py:2"]
    assert ("processes", "manuals") in edges


def test_hiding_the_upward_import_in_a_function_is_still_caught(deps, tmp_path):
    _write(tmp_path, PROJECT)
    _write(
        tmp_path,
        {"manuals/models.py": "def steps():\n    from processes.models import Step\n"},
    )
    _apps, _edges, upward, local_imports = deps.analyse(tmp_path)
    assert [(a, b) for a, b, _where in upward] == [("manuals", "processes")]
    assert local_imports == [
        "manuals/models.py:2 imports processes.models inside a function to hide a cycle"
    ]


def test_a_local_import_is_reported_only_when_it_hides_a_cycle(deps):
    apps = ["core", "rounds"]
    cycle = {
        "rounds.services": ("rounds/services.py", [("rounds.tasks", True, 9)]),
        "rounds.tasks": ("rounds/tasks.py", [("rounds.services", False, 3)]),
    }
    _edges, upward, local_imports = deps.analyse_imports(apps, cycle)
    assert upward == []
    assert local_imports == [
        "rounds/services.py:9 imports rounds.tasks inside a function to hide a cycle"
    ]
    # A lazy import of a module that does not lead back (a heavy library, say) is fine.
    lazy = {
        "rounds.services": ("rounds/services.py", [("rounds.tasks", True, 9)]),
        "rounds.tasks": ("rounds/tasks.py", [("core.thai", False, 3)]),
        "core.thai": ("core/thai.py", []),
    }
    assert deps.analyse_imports(apps, lazy)[2] == []


def test_peers_of_one_layer_may_not_import_each_other_both_ways(deps):
    apps = ["core", "printing", "reviews"]
    modules = {
        "printing.views": ("printing/views.py", [("reviews.models", False, 1)]),
        "reviews.models": ("reviews/models.py", [("printing.models", False, 1)]),
        "printing.models": ("printing/models.py", []),
    }
    _edges, upward, _local = deps.analyse_imports(apps, modules)
    assert {(a, b) for a, b, _where in upward} == {("printing", "reviews"), ("reviews", "printing")}
    one_way = {**modules, "reviews.models": ("reviews/models.py", [])}
    assert deps.analyse_imports(apps, one_way)[1] == []


def test_the_command_exits_1_on_an_upward_arrow(deps, tmp_path, monkeypatch, capsys):
    _write(tmp_path, PROJECT)
    _write(tmp_path, {"core/models.py": "from manuals.models import Edition\n"})
    monkeypatch.setattr(deps, "BASE", tmp_path)
    monkeypatch.setattr(deps.analyse, "__defaults__", (tmp_path,))
    assert deps.main([]) == 1
    assert "UP: core -> manuals  (core/models.py:1)" in capsys.readouterr().out
