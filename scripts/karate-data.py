#!/usr/bin/env python3
# Copyright 2026 the ika4j authors
# SPDX-License-Identifier: Apache-2.0
"""Writes Zachary's karate club (Zachary 1977, as networkx ships it) for `./ika reproduce graph`.

Two CSV files under bench/train/src/main/resources/data/graph/: karate-nodes.csv (node, club:
0 for 'Mr. Hi', 1 for 'Officer') and karate-edges.csv (each undirected edge once, source < target).
Run from the repository root: python3 scripts/karate-data.py (needs networkx).
"""
import pathlib

import networkx as nx

out = pathlib.Path(__file__).resolve().parent.parent / "bench/train/src/main/resources/data/graph"
out.mkdir(parents=True, exist_ok=True)
g = nx.karate_club_graph()
clubs = {"Mr. Hi": 0, "Officer": 1}
with open(out / "karate-nodes.csv", "w") as f:
    f.write("node,club\n")
    for n in sorted(g.nodes):
        f.write(f"{n},{clubs[g.nodes[n]['club']]}\n")
with open(out / "karate-edges.csv", "w") as f:
    f.write("source,target\n")
    for u, v in sorted((min(a, b), max(a, b)) for a, b in g.edges):
        f.write(f"{u},{v}\n")
print(f"karate club: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges (networkx {nx.__version__})")
