"""notebooks/analysis.ipynb runs top to bottom on a small sweep and shows the league table."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from analysis import synthetic

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK = REPO / "notebooks" / "analysis.ipynb"


def test_analysis_notebook_executes_on_a_small_sweep(tmp_path, monkeypatch):
    sweep = synthetic.write_results(tmp_path / "sweep", synthetic.silo_incentive_factorial(), 12,
                                    weeks=16)
    monkeypatch.setenv("SILOSIM_RESULTS", str(sweep))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [
        str(REPO), os.environ.get("PYTHONPATH")])))
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(notebook, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(REPO / "notebooks")}}).execute()
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    outputs = [o for cell in code for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert f"{sweep}: 4 points, 48 runs" in "".join(o.get("text", "") for o in outputs)
    league = next(cell for cell in code if "league_table" in cell.source).outputs[0]
    table = league["data"]["text/html"]
    assert "not_sustained" in table and table.count("</tr>") == 1 + 4  # header + 4 points
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) == 2  # the report's figure and the new question's plot
