"""The product's vocabulary (dashboard/vocabulary.py) and the reference build's own copy
(data_access) agree: neither package imports the other's constants."""

from dashboard import vocabulary
from data_access import config, sources, store


def test_regions_indexes_and_domains_agree():
    assert vocabulary.ICBS == config.ICBS
    assert vocabulary.REGION_NAMES == config.REGION_NAMES
    assert vocabulary.DOMAIN_LABELS == sources.DOMAIN_LABELS
    assert set(vocabulary.INDEXES) == set(store.INDEXES) and vocabulary.DEFAULT_INDEX == store.DEFAULT_INDEX
    for key, index in vocabulary.INDEXES.items():
        assert (index.label, index.short) == (store.INDEXES[key].label, store.INDEXES[key].short)
        assert index.geography == store.GEOGRAPHY_LABELS[store.INDEXES[key].geography]


def test_domain_modules_import_no_data_access():
    import ast
    from pathlib import Path

    root = Path(vocabulary.__file__).parent
    for path in root.glob("*.py"):
        if path.name == "__main__.py":  # the command line opens the store
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
                assert not any(n.startswith("data_access") for n in names), f"{path.name} imports {names}"
    for path in (Path(config.__file__).parent).glob("*.py"):
        assert "import dashboard" not in path.read_text() and "from dashboard" not in path.read_text(), path.name
