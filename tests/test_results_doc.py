"""Every query in docs/results.md runs on a results directory and returns what it says."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pandas as pd
import pytest

from analysis import synthetic

RESULTS_DOC = Path(__file__).resolve().parents[1] / "docs" / "results.md"
BLOCKS = re.findall(r"```python\n(.*?)```", RESULTS_DOC.read_text(), flags=re.S)


@pytest.fixture(scope="module")
def results_dir(tmp_path_factory) -> Path:
    return synthetic.write_results(tmp_path_factory.mktemp("doc"),
                                   synthetic.scenario_comparison(0.2, 0.5), 10, weeks=6,
                                   extras=synthetic.Extras(titles=True, labels=True))


def test_the_document_has_its_queries():
    assert len(BLOCKS) >= 6
    assert sum("duckdb" in block for block in BLOCKS) >= 4


@pytest.mark.parametrize("block", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_every_query_runs_and_gives_a_table(block, results_dir):
    tree = ast.parse(block.replace("DIR", str(results_dir)))
    *statements, last = tree.body
    assert isinstance(last, ast.Expr), "a block ends with the table it shows"
    namespace: dict[str, object] = {}
    exec(compile(ast.Module(statements, []), "docs/results.md", "exec"), namespace)
    value = eval(compile(ast.Expression(last.value), "docs/results.md", "eval"), namespace)
    assert isinstance(value, pd.DataFrame | pd.Series) and len(value) > 0


def test_the_queries_agree_with_the_data(results_dir):
    import duckdb

    runs = pd.read_parquet(results_dir / "runs.parquet")
    rates = duckdb.sql(f"""
        SELECT point, count(*) AS runs, avg(success::INT) AS success_rate
        FROM '{results_dir}/runs.parquet' GROUP BY point ORDER BY success_rate DESC
    """).df()
    assert rates["point"].tolist() == ["Five key actions", "Typical company"]
    assert rates["success_rate"].tolist() == pytest.approx([0.5, 0.2])
    pairs = duckdb.sql(f"""
        SELECT sum((a.success AND NOT b.success)::INT) AS only_five_actions,
               sum((b.success AND NOT a.success)::INT) AS only_baseline
        FROM '{results_dir}/runs.parquet' a JOIN '{results_dir}/runs.parquet' b
             USING (replicate, seed)
        WHERE a.scenario = 'five_actions' AND b.scenario = 'baseline'
    """).df().iloc[0]
    wide = runs.pivot(index="replicate", columns="scenario", values="success")
    assert pairs["only_five_actions"] == (wide["five_actions"] & ~wide["baseline"]).sum()
    assert pairs["only_baseline"] == (wide["baseline"] & ~wide["five_actions"]).sum()
