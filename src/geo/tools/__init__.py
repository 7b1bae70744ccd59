"""Benchmarks and SYNTHETIC data for tests and benchmarks; never shipped as data.

May import every layer but `cli`.
"""
