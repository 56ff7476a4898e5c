"""Plotly figure builders for every page family; reports use the same builders."""
