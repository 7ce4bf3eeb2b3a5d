"""Loops in trees kept as child -> parent links (management chains, skill hierarchies)."""

from __future__ import annotations


def find_cycles(graph: dict[str, str | None]) -> list[list[str]]:
    """Every cycle in a functional graph (each node has at most one parent), in O(n)."""
    state: dict[str, int] = {}  # 1 = on the current walk, 2 = done
    cycles: list[list[str]] = []
    for start in graph:
        walk: list[str] = []
        node: str | None = start
        while node is not None and node not in state:
            state[node] = 1
            walk.append(node)
            node = graph.get(node)
        if node is not None and state.get(node) == 1:
            cycles.append(walk[walk.index(node) :])
        for visited in walk:
            state[visited] = 2
    return cycles
