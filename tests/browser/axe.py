"""axe-core for the browser tests, found on disk — never fetched at test time.

``make browser`` installs it with ``npm install --no-save --prefix .cache/npm axe-core@4``
(.cache/ is gitignored). ``axe_path()`` finds that copy (or a ``node_modules/`` one in the repo);
``serious_violations(page)`` runs it on a page and returns the serious and critical findings.
"""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CANDIDATES = (
    REPO / ".cache" / "npm" / "node_modules" / "axe-core" / "axe.min.js",
    REPO / "node_modules" / "axe-core" / "axe.min.js",
)
INSTALL_HINT = "run `make browser` (npm install --no-save --prefix .cache/npm axe-core@4)"


def axe_path() -> Path | None:
    return next((p for p in CANDIDATES if p.is_file()), None)


def serious_violations(page) -> list[dict]:
    """Run axe on the page (its context must bypass the CSP to load the script)."""
    path = axe_path()
    if path is None:
        raise RuntimeError(f"axe-core is not installed: {INSTALL_HINT}")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(path))
    result = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"] if v["impact"] in ("serious", "critical")
    ]


if __name__ == "__main__":
    print(axe_path() or f"axe-core not found: {INSTALL_HINT}")
