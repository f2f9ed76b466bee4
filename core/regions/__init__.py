"""Regions (GB/T 2260 codes and their tree) and grids (网格) below them, with their API."""
